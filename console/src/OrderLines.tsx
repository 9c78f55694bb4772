import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { money } from './format';
import type { OrderLine, OrderView } from './types';

/** The order's lines, with prices in ¥ from fen. */
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
            title: t('order.amount'),
            align: 'right',
            render: (_: unknown, l) => money(l.unitPriceMinor * (l.quantity - l.cancelledQuantity), order.currency),
          },
        ]}
      />
    </Card>
  );
}
