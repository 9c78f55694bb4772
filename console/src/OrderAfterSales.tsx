import { Alert, Card, List, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { money, time } from './format';
import { Link } from './Link';
import type { OrderView } from './types';

/** Returns, refunds and the order's warnings, when there are any. */
export function OrderAfterSales({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {order.warnings.length > 0 && (
        <Card title={t('order.warnings')} size="small">
          {order.warnings.map((w) => (
            <Alert key={w.id} type="warning" showIcon message={w.message} description={time(w.openedAt)} />
          ))}
        </Card>
      )}
      {order.returns.length > 0 && (
        <Card title={t('order.returns')} size="small">
          <List
            size="small"
            dataSource={order.returns}
            renderItem={(r) => (
              <List.Item>
                <Link to={`/returns/${encodeURIComponent(r.returnNumber)}`}>{r.returnNumber}</Link> ·{' '}
                {t(`returns.kind.${r.kind}`)} · {t(`returns.status.${r.status}`)} ·{' '}
                {t(`returns.reason.${r.reasonCode}`)} · {time(r.createdAt)}
              </List.Item>
            )}
          />
        </Card>
      )}
      {order.refunds.length > 0 && (
        <Card title={t('order.refunds')} size="small">
          <List
            size="small"
            dataSource={order.refunds}
            renderItem={(r) => (
              <List.Item>
                {money(r.amountMinor, order.currency)} · {r.reason} · {time(r.createdAt)}
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}
