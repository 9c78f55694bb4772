/** Sign in by pasting an API key: POST /api/session sets the session cookie. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { errorText } from './errors';
import { LanguageSwitch } from './LanguageSwitch';
import type { SignedIn } from './types';

export function SignIn({ onSignedIn }: { onSignedIn: (me: SignedIn) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ key }: { key: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api<SignedIn>('POST', '/session', { key: key.trim() }));
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 96 }}>
      <Card style={{ width: 420 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('appName')}
            </Typography.Title>
            <LanguageSwitch />
          </Space>
          {error && <Alert type="error" showIcon message={error} />}
          <Form layout="vertical" onFinish={(values: { key: string }) => void submit(values)} requiredMark={false}>
            <Form.Item name="key" label={t('signIn.key')} extra={t('signIn.keyHelp')} rules={[{ required: true }]}>
              <Input.Password autoFocus autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
