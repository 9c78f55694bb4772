/** Admins: refused requests (GET /api/admin/security-events), by kind, and the customers' block list. */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { query } from '../api';
import { errorText } from '../errors';
import { time } from '../format';
import { useApi } from '../useApi';

/** api/security-events.ts: every kind a refusal is recorded as. */
const KINDS = [
  'MISSING_KEY',
  'UNKNOWN_KEY',
  'WRONG_SECRET',
  'REVOKED_KEY',
  'SESSION_UNKNOWN',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'CSRF_TOKEN_MISSING',
  'CSRF_TOKEN_INVALID',
  'FORBIDDEN',
  'BAD_SIGNATURE',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
];
const LIMITS = [100, 500, 1000];
const RED = new Set(['WRONG_SECRET', 'REVOKED_KEY', 'BAD_SIGNATURE', 'CSRF_TOKEN_INVALID', 'RATE_LIMITED']);

interface SecurityEvent {
  id: number;
  kind: string;
  keyId: number | null;
  keyPrefix: string | null;
  method: string;
  path: string;
  ip: string | null;
  detail: string | null;
  at: string;
}

export function Security() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>();
  const [limit, setLimit] = useState(100);
  const [filter, setFilter] = useState('');
  const events = useApi<{ events: SecurityEvent[] }>(`/admin/security-events${query({ kind, limit })}`);
  const kindName = (k: string) => t(`security.kinds.${k}`, { defaultValue: k });

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = events.data?.events ?? [];
    if (!needle) return all;
    return all.filter((e) =>
      [e.path, e.ip ?? '', e.keyPrefix ?? '', e.detail ?? ''].some((text) => text.toLowerCase().includes(needle)),
    );
  }, [events.data, filter]);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('security.title')}
      </Typography.Title>
      <Card
        title={t('security.events')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={events.reload}>
            {t('security.refresh')}
          </Button>
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            aria-label={t('security.kind')}
            placeholder={t('security.allKinds')}
            style={{ width: 220 }}
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: kindName(k) }))}
          />
          <Select
            aria-label={t('security.limit')}
            style={{ width: 140 }}
            value={limit}
            onChange={setLimit}
            options={LIMITS.map((n) => ({ value: n, label: t('security.limitN', { count: n }) }))}
          />
          <Input.Search
            allowClear
            placeholder={t('security.filter')}
            aria-label={t('security.filter')}
            style={{ width: 280 }}
            onSearch={setFilter}
            onChange={(e) => !e.target.value && setFilter('')}
          />
        </Space>
        {events.error !== undefined && <Alert type="error" showIcon message={errorText(events.error, t)} />}
        <Table<SecurityEvent>
          rowKey="id"
          size="small"
          loading={events.loading}
          dataSource={shown}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('security.none') }}
          columns={[
            { title: t('security.at'), dataIndex: 'at', width: 170, render: (at: string) => time(at) },
            {
              title: t('security.kind'),
              dataIndex: 'kind',
              render: (k: string) => (
                <Tag color={RED.has(k) ? 'red' : 'orange'} title={k}>
                  {kindName(k)}
                </Tag>
              ),
            },
            {
              title: t('security.request'),
              key: 'request',
              render: (_: unknown, e) => (
                <Typography.Text code>
                  {e.method} {e.path}
                </Typography.Text>
              ),
            },
            {
              title: t('security.key'),
              key: 'key',
              render: (_: unknown, e) => (e.keyPrefix ? e.keyPrefix : e.keyId != null ? `#${e.keyId}` : ''),
            },
            { title: t('security.address'), dataIndex: 'ip' },
            { title: t('security.detail'), dataIndex: 'detail' },
          ]}
        />
      </Card>
    </Space>
  );
}
