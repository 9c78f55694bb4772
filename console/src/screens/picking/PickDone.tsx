/**
 * A shipment just picked: what happens to it now (the order's status, followed live), its packing slip, and what
 * to pick next: another shipment of this order waiting here, else the next order in this location's queue.
 */
import { useEffect, useState } from 'react';
import { Button, Result, Space, Typography } from 'antd';
import { PrinterOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { StatusTag } from '../../Labels';
import { Link } from '../../Link';
import { navigate } from '../../router';
import { useApi } from '../../useApi';
import { pickPath, slipPath } from './paths';
import { loadQueue, PICKING_LOCATION } from './places';
import type { FullOrder, PickList, PickListShipment } from './types';

export interface NextStep {
  path: string;
  label: string;
}

export function PickDone({
  orderNumber,
  shipment,
  onNext,
}: {
  orderNumber: string;
  shipment: PickListShipment;
  onNext: (next: NextStep | undefined) => void;
}) {
  const { t } = useTranslation();
  const order = useApi<FullOrder>(`/orders/${encodeURIComponent(orderNumber)}`, ['orders']);
  const [next, setNext] = useState<NextStep | null>();

  useEffect(() => {
    let live = true;
    const here = localStorage.getItem(PICKING_LOCATION) ?? shipment.location;
    const find = async (): Promise<NextStep | null> => {
      const list = await api<PickList>('GET', `/orders/${encodeURIComponent(orderNumber)}/pick-list`).catch(
        () => undefined,
      );
      const more = (list?.shipments ?? []).filter((s) => s.phase === 'PICKING' && s.seq !== shipment.seq);
      const another = more.find((s) => s.location === here) ?? more[0];
      if (another) {
        return {
          path: pickPath(orderNumber, another.seq),
          label: t('picking.nextShipment', { seq: another.seq }),
        };
      }
      const queue = await loadQueue(here).catch(() => undefined);
      const row = queue?.rows.find((r) => r.orderNumber !== orderNumber);
      return row
        ? {
            path: pickPath(row.orderNumber),
            label: t('picking.nextOrder', { orderNumber: row.orderNumber }),
          }
        : null;
    };
    void find().then((step) => {
      if (!live) return;
      setNext(step);
      onNext(step ?? undefined);
    });
    return () => {
      live = false;
    };
  }, [orderNumber, shipment, onNext, t]);

  return (
    <Result
      status="success"
      data-testid="pick-done"
      title={t('picking.doneTitle', { seq: shipment.seq, orderNumber })}
      subTitle={
        <Space orientation="vertical">
          <span style={{ fontSize: 18 }}>
            {shipment.pickup
              ? t('picking.donePickup', { location: shipment.locationName ?? shipment.location })
              : t('picking.doneShip')}
          </span>
          {order.data && (
            <span>
              {t('picking.orderNow')}{' '}
              <span data-testid="picked-order-status">
                <StatusTag status={order.data.status} />
              </span>
            </span>
          )}
        </Space>
      }
      extra={
        <Space wrap>
          {next && (
            <Button type="primary" size="large" icon={<RightOutlined />} onClick={() => navigate(next.path)}>
              {next.label} (Enter)
            </Button>
          )}
          <Button size="large" icon={<PrinterOutlined />} onClick={() => navigate(slipPath(orderNumber, shipment.seq))}>
            {t('picking.printSlip')}
          </Button>
          <Link to="/picking">{t('picking.backToQueue')} (Esc)</Link>
          {next === null && <Typography.Text type="secondary">{t('picking.queueEmpty')}</Typography.Text>}
        </Space>
      }
    />
  );
}
