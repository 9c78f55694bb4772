/** The returns desk: returns by status and reason, opening one for an order, and one return's page. */
import { useState, type ReactNode } from 'react';
import { Alert, Button, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RETURN_REASONS } from '../../../domain/after-sales';
import { RETURN_STATUSES } from '../../../domain/order-status';
import { query } from '../api';
import { errorText } from '../errors';
import { time } from '../format';
import { Link } from '../Link';
import { navigate, useLocation } from '../router';
import type { SignedIn } from '../types';
import { useApi } from '../useApi';
import type { ReturnRecord } from './returns/model';
import { ReturnStatusTag } from './returns/ReturnStatusTag';
import { NewReturn } from './returns/NewReturn';
import { ReturnPage } from './returns/ReturnPage';

/** The returns desk's pages (null for a path that is not one of them). */
export function returnsScreen(path: string, params: URLSearchParams, me: SignedIn): ReactNode | null {
  if (path === '/returns') return <ReturnsList me={me} />;
  if (path === '/returns/new') return <NewReturn key={params.get('order') ?? ''} me={me} />;
  const returnNumber = /^\/returns\/([^/]+)$/.exec(path)?.[1];
  return returnNumber ? <ReturnPage returnNumber={decodeURIComponent(returnNumber)} me={me} /> : null;
}

const PAGE = 50;
const MAX = 500;

function ReturnsList({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const status = params.get('status') ?? undefined;
  const reason = params.get('reason') ?? undefined;
  const [limit, setLimit] = useState(PAGE);
  const { data, error, loading } = useApi<{ returns: ReturnRecord[] }>(`/returns${query({ status, reason, limit })}`, [
    'orders',
  ]);
  const filter = (change: Record<string, string | undefined>) => {
    setLimit(PAGE);
    navigate(`/returns${query({ status, reason, ...change })}`);
  };
  const rows = data?.returns ?? [];

  return (
    <>
      <Space align="center" style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2}>{t('returns.title')}</Typography.Title>
        {me.permissions.includes('returns.open') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/returns/new')}>
            {t('returns.newReturn')}
          </Button>
        )}
      </Space>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('returns.allStatuses')}
          aria-label={t('returns.statusLabel')}
          value={status}
          onChange={(value?: string) => filter({ status: value })}
          options={RETURN_STATUSES.map((s) => ({ value: s, label: t(`returns.status.${s}`) }))}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('returns.allReasons')}
          aria-label={t('returns.reasonLabel')}
          value={reason}
          onChange={(value?: string) => filter({ reason: value })}
          options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returns.reason.${r}`) }))}
        />
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<ReturnRecord>
        rowKey="returnNumber"
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: t('returns.empty') }}
        pagination={{ pageSize: PAGE, hideOnSinglePage: true }}
        columns={[
          {
            title: t('returns.number'),
            dataIndex: 'returnNumber',
            render: (n: string) => <Link to={`/returns/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          {
            title: t('returns.order'),
            render: (_: unknown, r) => (
              <Link to={`/orders/${encodeURIComponent(r.order.orderNumber)}`}>{r.order.orderNumber}</Link>
            ),
          },
          { title: t('returns.kindLabel'), dataIndex: 'kind', render: (k: string) => t(`returns.kind.${k}`) },
          {
            title: t('returns.statusLabel'),
            dataIndex: 'status',
            render: (s: string) => <ReturnStatusTag status={s} />,
          },
          { title: t('returns.reasonLabel'), dataIndex: 'reasonCode', render: (r: string) => t(`returns.reason.${r}`) },
          {
            title: t('returns.sku'),
            render: (_: unknown, r) => r.lines.map((l) => `${l.sku} ×${l.quantity}`).join(', '),
          },
          { title: t('returns.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
      {rows.length === limit && limit < MAX && (
        <Button style={{ marginTop: 16 }} onClick={() => setLimit(Math.min(MAX, limit * 2))}>
          {t('returns.more')}
        </Button>
      )}
    </>
  );
}
