/**
 * One return or exchange: what was asked, its lines, and only the actions valid now (the order's GET …/actions,
 * which already leaves out what the role may not do): approve or reject, receive and inspect each line, refund.
 */
import { Alert, Card, Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { errorText } from '../../errors';
import { money, time } from '../../format';
import { Link } from '../../Link';
import type { OrderActions, OrderView, SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { useLocations } from '../stock/locations';
import { ReturnActions } from './ReturnActions';
import type { ReturnLine, ReturnRecord } from './model';
import { ReturnStatusTag } from './ReturnStatusTag';

/** A return's steps are the order's: they show as orders move. */
const LIVE = ['orders'] as const;

export function ReturnPage({ returnNumber, me }: { returnNumber: string; me: SignedIn }) {
  const { t } = useTranslation();
  const request = useApi<ReturnRecord>(`/returns/${encodeURIComponent(returnNumber)}`, LIVE);
  const orderNumber = request.data?.order.orderNumber;
  const orderPath = orderNumber ? `/orders/${encodeURIComponent(orderNumber)}` : null;
  const order = useApi<OrderView>(orderPath, LIVE);
  const actions = useApi<OrderActions>(orderPath && `${orderPath}/actions`, LIVE);
  const locations = useLocations(me);
  const refresh = () => {
    request.reload();
    order.reload();
    actions.reload();
  };

  if (request.error instanceof ApiError && request.error.status === 404) {
    return <Alert type="warning" showIcon message={t('returns.notFound')} description={returnNumber} />;
  }
  if (!request.data) {
    return request.error ? <Alert type="error" showIcon message={errorText(request.error, t)} /> : <Spin />;
  }
  const r = request.data;
  const currency = order.data?.currency ?? 'CNY';
  const price = (lineNo: number) => order.data?.lines.find((l) => l.lineNo === lineNo)?.unitPriceMinor;
  const offered = (actions.data?.actions ?? []).filter((a) => a.returnNumber === returnNumber).map((a) => a.action);
  const refunds = (order.data?.refunds ?? []).filter((f) => f.reason.includes(returnNumber));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Link to="/returns">← {t('returns.back')}</Link>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {r.returnNumber}
        </Typography.Title>
        <Tag>{t(`returns.kind.${r.kind}`)}</Tag>
        <span data-testid="return-status">
          <ReturnStatusTag status={r.status} />
        </span>
      </Space>
      {request.error !== undefined && <Alert type="error" showIcon message={errorText(request.error, t)} />}
      <Card title={t('returns.actions')} size="small">
        {order.data && actions.data ? (
          <ReturnActions request={r} order={order.data} offered={offered} locations={locations} onDone={refresh} />
        ) : (
          <Spin />
        )}
      </Card>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('returns.order')}>
          <Link to={`/orders/${encodeURIComponent(r.order.orderNumber)}`}>{r.order.orderNumber}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('returns.reasonLabel')}>
          {t(`returns.reason.${r.reasonCode}`)}
          {r.note && <Typography.Text type="secondary"> · {r.note}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('returns.sourceLabel')}>{t(`returns.source.${r.source}`)}</Descriptions.Item>
        <Descriptions.Item label={t('returns.requestedBy')}>
          {r.requestedBy} · {time(r.createdAt)}
        </Descriptions.Item>
        {r.decidedAt && (
          <Descriptions.Item label={t('returns.decision')}>
            {time(r.decidedAt)}
            {r.decisionNote && ` · ${r.decisionNote}`}
          </Descriptions.Item>
        )}
        {r.receivedAt && <Descriptions.Item label={t('returns.receivedAt')}>{time(r.receivedAt)}</Descriptions.Item>}
        {r.closedAt && <Descriptions.Item label={t('returns.closedAt')}>{time(r.closedAt)}</Descriptions.Item>}
        {(r.refundMinor !== null || refunds.length > 0) && (
          <Descriptions.Item label={t('returns.refund')}>
            <span data-testid="return-refund">
              {t('returns.refunded', {
                amount: money(r.refundMinor ?? refunds.reduce((sum, f) => sum + f.amountMinor, 0), currency),
              })}
            </span>
            {refunds.map((f) => (
              <Typography.Text key={f.id} type="secondary">
                {' '}
                · {time(f.createdAt)}
              </Typography.Text>
            ))}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Card title={t('returns.returnLines')} size="small">
        <Table<ReturnLine>
          rowKey="lineNo"
          size="small"
          pagination={false}
          dataSource={r.lines}
          columns={[
            { title: t('returns.line'), dataIndex: 'lineNo', width: 48 },
            { title: t('returns.sku'), dataIndex: 'sku' },
            { title: t('returns.quantity'), dataIndex: 'quantity', align: 'right' },
            ...(r.kind === 'EXCHANGE' ? [{ title: t('returns.replacement'), dataIndex: 'replacementSku' }] : []),
            {
              title: t('returns.unitPrice'),
              align: 'right',
              render: (_: unknown, l) => {
                const p = price(l.lineNo);
                return p === undefined ? '' : money(p, currency);
              },
            },
            {
              title: t('returns.amount'),
              align: 'right',
              render: (_: unknown, l) => {
                const p = price(l.lineNo);
                return p === undefined ? '' : money(p * l.quantity, currency);
              },
            },
            {
              title: t('returns.condition'),
              render: (_: unknown, l) =>
                l.condition && (
                  <Tag color={l.condition === 'RESTOCK' ? 'green' : 'red'}>
                    {t(`returns.conditions.${l.condition}`)}
                  </Tag>
                ),
            },
            ...(r.lines.some((l) => l.serials?.length)
              ? [{ title: t('returns.serials'), render: (_: unknown, l: ReturnLine) => l.serials?.join(', ') }]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
