import { Card, Empty, Space, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { time } from './format';
import type { Shipment } from './types';

/** Each shipment: carrier, tracking number, status and its tracking events. */
export function OrderShipments({ shipments }: { shipments: Shipment[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('order.shipments')} size="small">
      {shipments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('order.noShipments')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {shipments.map((s) => (
            <div key={s.seq}>
              <Typography.Text strong>
                #{s.seq} {s.carrier} {s.service} · {s.trackingNumber}
              </Typography.Text>{' '}
              <Tag>{t(`order.shipmentStatus.${s.status}`, { defaultValue: s.status })}</Tag>
              {s.exception && <Tag color="red">{s.exception}</Tag>}
              {s.events.length > 0 && (
                <Steps
                  size="small"
                  direction="vertical"
                  current={s.events.length - 1}
                  style={{ marginTop: 8 }}
                  items={s.events.map((e) => ({
                    title: t(`order.shipmentStatus.${e.status}`, { defaultValue: e.status }),
                    description: time(e.occurredAt),
                  }))}
                />
              )}
            </div>
          ))}
        </Space>
      )}
    </Card>
  );
}
