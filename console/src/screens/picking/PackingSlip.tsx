/**
 * A shipment's packing slip, and for a carrier parcel its label: shop, order, ship-to, contents, carrier and
 * tracking number. Printed alone (slip.css, @media print). The carrier is booked right after the pick, so the
 * label waits for it, reading the order again until it is there. The ship-to comes from the parcel's packing slip
 * route (the whole address, which the order's view does not show a warehouse key); once the parcel has long left,
 * the order's view (masked for the warehouse) is all there is.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { navigate } from '../../router';
import { useApi } from '../../useApi';
import { pickPath } from './paths';
import type { FullOrder, Location, PackingSlipShipTo, PickList } from './types';
import './slip.css';

const ADDRESS_ORDER = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'];

function Address({ address }: { address: Record<string, string> | null }) {
  if (!address) return null;
  const [line1, line2, city, region, postalCode, country] = ADDRESS_ORDER.map((k) => address[k]);
  return (
    <>
      <div>{line1}</div>
      {line2 && <div>{line2}</div>}
      <div>{[city, region, postalCode].filter(Boolean).join(' ')}</div>
      <div>{country}</div>
    </>
  );
}

export function PackingSlip({ orderNumber, seq }: { orderNumber: string; seq: number }) {
  const { t } = useTranslation();
  const path = `/orders/${encodeURIComponent(orderNumber)}`;
  const pick = useApi<PickList>(`${path}/pick-list`);
  const locations = useApi<{ locations: Location[] }>('/locations');
  const planned = pick.data?.shipments.find((s) => s.seq === seq);
  // A closed order has no pick list: what was shipped is on the order's stored shipment.
  const pickDone = pick.data !== undefined || pick.error !== undefined;
  const carrier = planned ? !planned.pickup : true;
  // Once the carrier is booked the label does not change: the order is then no longer read again.
  const [labelled, setLabelled] = useState(false);
  const order = useApi<FullOrder>(path, carrier && !labelled ? 3000 : undefined);
  const booked = order.data?.shipments.find((s) => s.seq === seq);
  const slip = useApi<{ shipTo: PackingSlipShipTo }>(carrier ? `${path}/shipments/${seq}/packing-slip` : null);
  useEffect(() => {
    if (booked) setLabelled(true);
  }, [booked]);

  if (order.error instanceof ApiError && order.error.status === 404) {
    return <Alert type="warning" showIcon title={t('order.notFound')} description={orderNumber} />;
  }
  if (!order.data || !pickDone || !locations.data) {
    return order.error ? <Alert type="error" showIcon title={errorText(order.error, t)} /> : <Spin size="large" />;
  }
  const view = order.data;
  if (!planned && !booked) {
    return <Alert type="warning" showIcon title={t('picking.slip.noSuchShipment', { seq })} />;
  }
  const all = locations.data.locations;
  const from = planned
    ? (all.find((l) => l.code === planned.location) ?? { code: planned.location, name: planned.locationName ?? '' })
    : all.find((l) => l.id === booked?.locationId);
  const pickupAt = view.pickupLocationId ? all.find((l) => l.id === view.pickupLocationId) : undefined;
  const isPickup = planned ? planned.pickup : !booked;
  const lines = planned
    ? planned.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity }))
    : (booked?.lines ?? []).map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity }));
  const count = Math.max(view.shipments.length, pick.data?.shipments.length ?? 0);
  const shipTo: PackingSlipShipTo = slip.data?.shipTo ?? {
    name: view.customerName ?? '',
    phone: view.customerPhone ?? '',
    address: view.shippingAddress,
  };

  return (
    <>
      <Space className="slip-toolbar" style={{ marginBottom: 16 }}>
        <Button
          icon={<ArrowLeftOutlined />}
          onClick={() => (history.length > 1 ? history.back() : navigate(pickPath(orderNumber)))}
        >
          {t('picking.slip.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('picking.slip.print')}
        </Button>
      </Space>
      <div className="packing-slip" data-testid="packing-slip">
        <div className="slip-head">
          <div>
            <div style={{ fontSize: 20, fontWeight: 700 }}>{t('appName')}</div>
            <h1>{t('picking.slip.title')}</h1>
          </div>
          <div style={{ textAlign: 'right' }}>
            <div className="slip-caption">{t('picking.slip.order')}</div>
            <div className="slip-order">{view.orderNumber}</div>
            <div>
              {t('picking.slip.shipment')} {seq}
              {count > 1 ? ` / ${count}` : ''}
            </div>
            <div className="slip-caption" style={{ marginTop: 6 }}>
              {t('picking.slip.date')} {time(new Date().toISOString())}
            </div>
          </div>
        </div>

        <div className="slip-parties">
          <div>
            <div className="slip-caption">{isPickup ? t('picking.slip.collectAt') : t('picking.slip.shipTo')}</div>
            <div className="slip-address">
              <strong>{shipTo.name}</strong>
              {isPickup ? (
                <div>{pickupAt ? `${pickupAt.name} (${pickupAt.code})` : from?.name}</div>
              ) : (
                <Address address={shipTo.address} />
              )}
              <div>
                {t('picking.slip.phone')}: {shipTo.phone}
              </div>
            </div>
          </div>
          <div>
            <div className="slip-caption">{t('picking.slip.from')}</div>
            <div className="slip-address">{from ? `${from.name} (${from.code})` : ''}</div>
          </div>
        </div>

        <div className="slip-caption">{t('picking.slip.lines')}</div>
        <table>
          <thead>
            <tr>
              <th style={{ width: 48 }}>#</th>
              <th>{t('picking.slip.sku')}</th>
              <th className="qty">{t('picking.slip.quantity')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={`${line.lineNo ?? i}-${line.sku}`}>
                <td>{line.lineNo ?? ''}</td>
                <td style={{ fontFamily: 'monospace' }}>{line.sku}</td>
                <td className="qty">{line.quantity}</td>
              </tr>
            ))}
          </tbody>
        </table>

        {isPickup ? (
          <div className="slip-note">{t('picking.slip.pickupNote')}</div>
        ) : (
          <div className="label-block" data-testid="carrier-label">
            <div className="label-carrier">
              <span>{t('picking.slip.carrierLabel')}</span>
              <span>{booked ? `${booked.carrier} · ${booked.service}` : ''}</span>
            </div>
            {booked ? (
              <>
                <div className="slip-caption">{t('picking.slip.tracking')}</div>
                <div className="tracking" data-testid="tracking-number">
                  {booked.trackingNumber}
                </div>
                <div className="label-recipient">
                  <strong>{shipTo.name}</strong>
                  <Address address={shipTo.address} />
                  <div>{shipTo.phone}</div>
                </div>
                <div className="slip-note no-print">{t('picking.slip.noBarcode')}</div>
              </>
            ) : (
              <Alert className="no-print" type="info" showIcon title={t('picking.slip.notBooked')} />
            )}
          </div>
        )}
      </div>
    </>
  );
}
