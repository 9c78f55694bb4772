/** The signed-in console: a menu of what the role may see, the language switch, sign out, and the page. */
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { LanguageSwitch } from './LanguageSwitch';
import { NotFound } from './NotFound';
import { pageOf, pagesFor } from './pages';
import { navigate, useLocation } from './router';
import type { SignedIn } from './types';

export function Shell({ me, onSignedOut }: { me: SignedIn; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const { path, params } = useLocation();
  const pages = pagesFor(me);
  const current = pageOf(pages, path);

  const signOut = async () => {
    await api('DELETE', '/session').catch(() => undefined);
    window.history.replaceState(null, '', '/');
    onSignedOut();
  };

  const page = current?.render(path, params, me) ?? <NotFound />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap', flex: 1 }}>
          {t('appName')}
        </Typography.Text>
        <Space>
          <LanguageSwitch />
          <Typography.Text style={{ color: '#fff' }}>
            {me.name} · {t(`staff.roles.${me.role}`, { defaultValue: me.role })}
          </Typography.Text>
          <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
            {t('signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        {/* Collapses to icons on a narrow screen (a phone or a scanner's handheld). */}
        <Layout.Sider theme="light" breakpoint="lg" collapsedWidth={56} width={168}>
          <Menu
            mode="inline"
            selectedKeys={current ? [current.path] : []}
            onClick={({ key }) => navigate(key)}
            items={pages.filter((p) => !p.hidden).map((p) => ({ key: p.path, icon: p.icon, label: t(p.label) }))}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, maxWidth: 1280, width: '100%', margin: '0 auto' }}>{page}</Layout.Content>
      </Layout>
    </Layout>
  );
}
