/** Who is signed in decides what shows: the sign-in page, or the console. */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { api, ApiError, onSignedOut, setCsrfToken } from './api';
import { languageFor } from './i18n';
import { Shell } from './Shell';
import { SignIn } from './SignIn';
import type { SignedIn } from './types';

/**
 * No animations: every state shows at once on a shop's slow handhelds and tills, and nothing waits on a transition's
 * end (a button's spinner left "leaving" kept it named "loading …" for screen readers and scripts alike).
 */
const THEME = { token: { colorPrimary: '#1f6feb', motion: false } };

export function App() {
  const { i18n } = useTranslation();
  const [me, setMe] = useState<SignedIn | null | undefined>(undefined);

  const signedIn = useCallback((who: SignedIn | null) => {
    setCsrfToken(who?.session?.csrfToken);
    languageFor(who?.keyId);
    setMe(who);
  }, []);

  // A session that ends while the console is open (an admin revoked it, or it expired) shows the sign-in page.
  useEffect(() => onSignedOut(() => signedIn(null)), [signedIn]);

  useEffect(() => {
    api<SignedIn>('GET', '/session').then(signedIn, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) signedIn(null);
      else signedIn(null);
    });
  }, [signedIn]);

  const chinese = i18n.language === 'zh-CN';
  dayjs.locale(chinese ? 'zh-cn' : 'en');
  document.documentElement.lang = i18n.language;

  return (
    <ConfigProvider locale={chinese ? zhCN : enUS} theme={THEME}>
      <AntApp>
        {me === undefined ? (
          <Spin size="large" style={{ display: 'block', marginTop: 120 }} />
        ) : me === null ? (
          <SignIn onSignedIn={signedIn} />
        ) : (
          <Shell me={me} onSignedOut={() => signedIn(null)} />
        )}
      </AntApp>
    </ConfigProvider>
  );
}
