import { Card, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { money } from './format';
import type { OrderLine, OrderView } from './types';

/** The order's lines, with prices in ¥ from fen: list price, what promotions took off (and why), what it costs. */
export function OrderLines({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  return (
    <Card title={t('order.lines')} size="small">
      <Table<OrderLine>
        rowKey="lineNo"
        size="small"
        pagination={false}
        dataSource={order.lines}
        columns={[
          { title: t('order.line'), dataIndex: 'lineNo', width: 48 },
          {
            title: t('order.sku'),
            render: (_: unknown, l) => (
              <>
                {l.sku}
                {l.substitutedFrom && <Typography.Text type="secondary"> ← {l.substitutedFrom}</Typography.Text>}
                {l.gift && (
                  <Tag color="magenta" style={{ marginLeft: 8 }}>
                    {t('order.gift')}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: t('order.quantity'),
            align: 'right',
            render: (_: unknown, l) =>
              l.cancelledQuantity
                ? `${l.quantity} (${t('order.cancelled', { count: l.cancelledQuantity })})`
                : l.quantity,
          },
          {
            title: t('order.unitPrice'),
            align: 'right',
            render: (_: unknown, l) => money(l.unitPriceMinor, order.currency),
          },
          {
            title: t('order.discount'),
            align: 'right',
            render: (_: unknown, l) =>
              l.discountMinor ? (
                <Tooltip
                  title={(l.adjustments ?? [])
                    .map((a) => `${a.name}: −${money(a.amountMinor, order.currency)}`)
                    .join(' · ')}
                >
                  <Typography.Text type="danger">−{money(l.discountMinor, order.currency)}</Typography.Text>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          {
            title: t('order.amount'),
            align: 'right',
            // What the units still on the order cost: the line's total, less the share of the cancelled ones.
            render: (_: unknown, l) => {
              const total = l.unitPriceMinor * l.quantity - l.discountMinor;
              const kept = l.quantity - l.cancelledQuantity;
              return money(l.quantity ? Math.round((total * kept) / l.quantity) : 0, order.currency);
            },
          },
        ]}
      />
    </Card>
  );
}
