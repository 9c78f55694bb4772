/**
 * The scan screen of one order: its pick list, and one shipment at a time (the one asked for, else the first
 * waiting at the location chosen in the queue, else the first waiting anywhere).
 */
import { Alert, Button, Result, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { errorText } from '../../errors';
import { StatusTag } from '../../Labels';
import { Link } from '../../Link';
import { navigate } from '../../router';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { slipPath } from './paths';
import { PICKING_LOCATION } from './places';
import { ShipmentScanner } from './ShipmentScanner';
import type { Location, PickList } from './types';

export function PickScreen({ orderNumber, seq, me }: { orderNumber: string; seq?: number; me: SignedIn }) {
  const { t } = useTranslation();
  // Read once: the scanner keeps what was scanned and picked; a new pick list would only move it under its feet.
  const pick = useApi<PickList>(`/orders/${encodeURIComponent(orderNumber)}/pick-list`);
  const locations = useApi<{ locations: Location[] }>('/locations');
  const here = localStorage.getItem(PICKING_LOCATION) ?? undefined;

  if (pick.error instanceof ApiError && (pick.error.status === 404 || pick.error.status === 409)) {
    return (
      <Result
        status="warning"
        title={pick.error.status === 404 ? t('order.notFound') : t('picking.noWorkflow')}
        subTitle={errorText(pick.error, t)}
        extra={<Link to="/picking">{t('picking.backToQueue')}</Link>}
      />
    );
  }
  if (!pick.data || !locations.data) {
    return pick.error ? <Alert type="error" showIcon title={errorText(pick.error, t)} /> : <Spin size="large" />;
  }
  const list = pick.data;
  const waiting = list.shipments.filter((s) => s.phase === 'PICKING');
  const shipment =
    seq !== undefined
      ? list.shipments.find((s) => s.seq === seq)
      : (waiting.find((s) => s.location === here) ?? waiting[0]);

  if (!shipment || shipment.phase !== 'PICKING') {
    return (
      <Result
        status="info"
        title={shipment || seq === undefined ? t('picking.notPicking') : t('picking.slip.noSuchShipment', { seq })}
        subTitle={
          <Space>
            {t('picking.notPickingHelp')}
            <StatusTag status={list.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button type="primary" autoFocus onClick={() => navigate('/picking')}>
              {t('picking.backToQueue')}
            </Button>
            {list.shipments
              .filter((s) => s.phase !== 'PICKING')
              .map((s) => (
                <Link key={s.seq} to={slipPath(list.orderNumber, s.seq)}>
                  {t('picking.printSlip')} #{s.seq}
                </Link>
              ))}
            <Link to={`/orders/${encodeURIComponent(orderNumber)}`}>{orderNumber}</Link>
          </Space>
        }
      />
    );
  }
  const locationId = locations.data.locations.find((l) => l.code === shipment.location)?.id;
  return (
    <ShipmentScanner
      orderNumber={list.orderNumber}
      shipment={shipment}
      others={waiting.filter((s) => s.seq !== shipment.seq)}
      locationId={locationId}
      elsewhere={here !== undefined && shipment.location !== here}
      checkSerials={me.permissions.includes('inventory.read')}
    />
  );
}
