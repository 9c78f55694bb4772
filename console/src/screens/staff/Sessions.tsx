/** Sign-in sessions of every key (GET /api/admin/sessions), newest first; an admin can end one. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { query } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { send } from '../../typed-api';
import { confirmRevoke } from './confirmRevoke';

const REFRESH_MS = 15_000;

interface Session {
  id: number;
  keyId: number;
  keyName: string;
  keyRole: string;
  keyPrefix: string;
  state: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  userAgent: string | null;
  ip: string | null;
}

/** "Chrome 138 on Linux" out of a user agent, or the start of it. */
function browserOf(userAgent: string | null): string {
  if (!userAgent) return '';
  const browser = /(Edg|Firefox|Chrome|Safari)\/(\d+)/.exec(userAgent);
  const system = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent);
  if (!browser) return userAgent.slice(0, 40);
  const name = browser[1] === 'Edg' ? 'Edge' : browser[1];
  return `${name} ${browser[2]}${system ? ` · ${system[1]}` : ''}`;
}

export function Sessions({ me, generation }: { me: SignedIn; generation: number }) {
  const { t } = useTranslation();
  const app = App.useApp();
  const [activeOnly, setActiveOnly] = useState(true);
  const sessions = useApi<{ sessions: Session[] }>(
    `/admin/sessions${query({ active: activeOnly ? 'true' : undefined, limit: 200 })}`,
    REFRESH_MS,
  );
  const [error, setError] = useState<string>();
  const { reload } = sessions;
  useEffect(() => {
    if (generation) reload();
  }, [generation, reload]);

  const revoke = (session: Session) =>
    confirmRevoke(
      app,
      t,
      { title: t('staff.revokeSession', { name: session.keyName }), done: t('staff.revokedSession') },
      () => send('post', '/admin/sessions/{id}/revoke', { id: String(session.id) }, {}),
      { onError: setError, reload: sessions.reload },
    );

  return (
    <Card
      title={t('staff.sessions')}
      extra={
        <Checkbox checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)}>
          {t('staff.activeOnly')}
        </Checkbox>
      }
    >
      {sessions.error !== undefined && <Alert type="error" showIcon message={errorText(sessions.error, t)} />}
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      <Table<Session>
        rowKey="id"
        size="small"
        loading={sessions.loading && !sessions.data}
        dataSource={sessions.data?.sessions ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('staff.name'),
            dataIndex: 'keyName',
            render: (name: string, s) => (
              <Space>
                <strong>{name}</strong>
                <Typography.Text type="secondary">
                  {t(`staff.roles.${s.keyRole}`, { defaultValue: s.keyRole })}
                </Typography.Text>
                {s.id === me.session?.id && <Tag>{t('staff.you')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('staff.state'),
            dataIndex: 'state',
            render: (state: string, s) => (
              <Space direction="vertical" size={0}>
                <Tag color={state === 'ACTIVE' ? 'green' : 'default'}>
                  {t(`staff.states.${state}`, { defaultValue: state })}
                </Tag>
                {s.revokedReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`staff.reasons.${s.revokedReason}`, { defaultValue: s.revokedReason })} {time(s.revokedAt)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('staff.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          { title: t('staff.lastSeen'), dataIndex: 'lastSeenAt', render: (at: string) => time(at) },
          { title: t('staff.expires'), dataIndex: 'expiresAt', render: (at: string) => time(at) },
          { title: t('staff.device'), dataIndex: 'userAgent', render: (ua: string | null) => browserOf(ua) },
          { title: t('staff.address'), dataIndex: 'ip' },
          {
            key: 'revoke',
            render: (_: unknown, s) =>
              s.state === 'ACTIVE' &&
              s.id !== me.session?.id && (
                <Button size="small" danger onClick={() => void revoke(s)}>
                  {t('staff.revoke')}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}
