/**
 * The review queue: orders waiting IN_REVIEW, oldest first, with why each was flagged (from the order's view), and
 * Approve (optional note) or Reject (reason required) right on the row. A decided order leaves the list as soon as
 * the API answers; the list asks again every few seconds.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionDialog, type DialogAction } from '../ActionDialog';
import { api, ApiError, query } from '../api';
import { errorText } from '../errors';
import { money, time } from '../format';
import { Link } from '../Link';
import type { OrderRow, OrderView } from '../types';
import { useApi } from '../useApi';

/** The API lists the newest orders first, at most 500. */
const LIMIT = 500;

type Reasons = OrderView['reviewReasons'];

export function ReviewQueue() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useApi<{ orders: OrderRow[] }>(`/orders${query({ status: 'IN_REVIEW', limit: LIMIT })}`, ['orders']);
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [deciding, setDeciding] = useState<{ orderNumber: string; action: DialogAction }>();
  const [error, setError] = useState<string>();

  const rows = (list.data?.orders ?? [])
    .filter((o) => !gone.has(o.orderNumber))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orderNumber.localeCompare(b.orderNumber));
  const reasons = useReviewReasons(
    rows.map((o) => o.orderNumber),
    list.data,
  );

  const decide = async (action: DialogAction, body: Record<string, unknown>) => {
    if (!deciding) return;
    const { orderNumber } = deciding;
    setError(undefined);
    try {
      await api('POST', `/orders/${encodeURIComponent(orderNumber)}/${action}`, body);
    } catch (err) {
      setError(`${orderNumber}: ${errorText(err, t)}`);
      if (err instanceof ApiError && err.status === 409) list.reload(); // decided elsewhere, or not flagged yet
      throw err;
    }
    setGone((g) => new Set(g).add(orderNumber));
    setDeciding(undefined);
    void message.success(t(action === 'approve' ? 'reviewQueue.approved' : 'reviewQueue.rejected', { orderNumber }));
  };

  return (
    <>
      <Space align="baseline" wrap>
        <Typography.Title level={2}>{t('reviewQueue.title')}</Typography.Title>
        {list.data && <Tag>{t('reviewQueue.count', { count: rows.length })}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary">{t('reviewQueue.intro')}</Typography.Paragraph>
      {list.error !== undefined && <Alert type="error" showIcon title={errorText(list.error, t)} />}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          closable={{ onClose: () => setError(undefined) }}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<OrderRow>
        rowKey="orderNumber"
        loading={list.loading}
        dataSource={rows}
        locale={{ emptyText: t('reviewQueue.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('reviewQueue.order'),
            dataIndex: 'orderNumber',
            render: (n: string) => <Link to={`/orders/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          { title: t('reviewQueue.waiting'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          { title: t('reviewQueue.channel'), dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
          { title: t('reviewQueue.customer'), dataIndex: 'customerName' },
          {
            title: t('reviewQueue.total'),
            align: 'right',
            render: (_: unknown, o) => money(o.totalMinor, o.currency),
          },
          {
            title: t('reviewQueue.reasons'),
            render: (_: unknown, o) => <ReasonTags reasons={reasons[o.orderNumber]} />,
          },
          {
            title: t('reviewQueue.actions'),
            render: (_: unknown, o) =>
              reasons[o.orderNumber]?.length ? (
                <Space>
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => setDeciding({ orderNumber: o.orderNumber, action: 'approve' })}
                  >
                    {t('action.approve')}
                  </Button>
                  <Button
                    danger
                    size="small"
                    onClick={() => setDeciding({ orderNumber: o.orderNumber, action: 'reject' })}
                  >
                    {t('action.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {deciding && (
        <ActionDialog
          key={`${deciding.orderNumber}-${deciding.action}`}
          action={deciding.action}
          onCancel={() => setDeciding(undefined)}
          onSubmit={decide}
        />
      )}
    </>
  );
}

/**
 * Why each order was flagged, from its view: undefined until read, null or empty while the automatic check runs
 * (read again with the next list, every few seconds, until it has flagged the order).
 */
function useReviewReasons(orderNumbers: readonly string[], listed: unknown): Record<string, Reasons | undefined> {
  const [reasons, setReasons] = useState<Record<string, Reasons>>({});
  const known = useRef(reasons);
  known.current = reasons;
  const asking = useRef(new Set<string>());
  const key = orderNumbers.join(',');

  useEffect(() => {
    for (const orderNumber of key.split(',')) {
      if (!orderNumber || known.current[orderNumber]?.length || asking.current.has(orderNumber)) continue;
      asking.current.add(orderNumber);
      api<OrderView>('GET', `/orders/${encodeURIComponent(orderNumber)}`)
        .then(
          (view) => setReasons((r) => ({ ...r, [orderNumber]: view.reviewReasons })),
          () => undefined, // asked again with the next list
        )
        .finally(() => asking.current.delete(orderNumber));
    }
  }, [key, listed]);
  return reasons;
}

function ReasonTags({ reasons }: { reasons: Reasons | undefined }) {
  const { t } = useTranslation();
  if (reasons === undefined) return null;
  if (!reasons?.length) return <Typography.Text type="secondary">{t('reviewQueue.checking')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {reasons.map((r) => (
        <Tooltip key={`${r.code}-${r.message}`} title={r.message}>
          <Tag color="orange">{t(`reviewQueue.reason.${r.code}`, { defaultValue: r.message })}</Tag>
        </Tooltip>
      ))}
    </Space>
  );
}
