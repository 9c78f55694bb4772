/**
 * The pickup counter: click & collect orders waiting in a store (remembered), found by order number, customer name
 * or phone, and handed over with "Collected" (POST /api/orders/:n/collect) after a confirmation.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Input, Select, Space, Table, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { errorText } from '../errors';
import { time } from '../format';
import { useChanges } from '../live';
import { Link } from '../Link';
import type { SignedIn } from '../types';
import { PICKUP_STORE, useChosenLocation } from './picking/places';
import type { FullOrder, OrderList } from './picking/types';

/** What the counter needs of a waiting order: its view (store, phone, lines), read once per order. */
type Waiting = FullOrder;

const digits = (text: string) => text.replace(/\D/g, '');

function matches(order: Waiting, q: string): boolean {
  const text = q.trim().toLowerCase();
  if (!text) return true;
  if (order.orderNumber.toLowerCase().includes(text) || (order.customerName ?? '').toLowerCase().includes(text))
    return true;
  const wanted = digits(text);
  return wanted.length >= 3 && digits(order.customerPhone ?? '').includes(wanted);
}

/** The store's waiting orders, read again whenever orders move (live.ts); each order's view is read once and kept. */
function useWaiting(store: { id: number; code: string } | undefined) {
  const [orders, setOrders] = useState<Waiting[]>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const views = useRef(new Map<string, Waiting>());
  const changed = useChanges(['orders']);
  const shown = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!store) return;
    let live = true;
    // Another store's orders are never shown under this one's name.
    if (shown.current !== store.code) setOrders(undefined);
    shown.current = store.code;
    const load = async () => {
      try {
        const list = await api<OrderList>(
          'GET',
          `/orders${query({ status: 'READY_FOR_PICKUP', location: store.code, limit: 500 })}`,
        );
        const found = await Promise.all(
          list.orders.map(async (row) => {
            const known = views.current.get(row.orderNumber);
            if (known) return known;
            const view = await api<FullOrder>('GET', `/orders/${encodeURIComponent(row.orderNumber)}`).catch(
              () => undefined,
            );
            if (view) views.current.set(row.orderNumber, view);
            return view;
          }),
        );
        if (!live) return;
        // The list route may not filter by location: the store is checked here on each order.
        setOrders(
          found
            .filter((o): o is Waiting => o !== undefined && o.pickupLocationId === store.id)
            .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        );
        setError(undefined);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [store, generation, changed]);

  return { orders, error, reload: () => setGeneration((g) => g + 1) };
}

export function Pickup({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const where = useChosenLocation(PICKUP_STORE, (l) => l.pickup);
  const [storeId, storeCode] = [where.chosen?.id, where.chosen?.code];
  const store = useMemo(
    () => (storeId !== undefined && storeCode ? { id: storeId, code: storeCode } : undefined),
    [storeId, storeCode],
  );
  const { orders, error, reload } = useWaiting(store);
  const [q, setQ] = useState('');
  const [collected, setCollected] = useState<Set<string>>(new Set());
  const [refusal, setRefusal] = useState<string>();
  const mayCollect = me.permissions.includes('orders.collect');
  const waiting = (orders ?? []).filter((o) => !collected.has(o.orderNumber));
  const shown = waiting.filter((o) => matches(o, q));

  const items = (order: Waiting) =>
    order.lines
      .map((l) => ({ ...l, quantity: l.quantity - l.cancelledQuantity }))
      .filter((l) => l.quantity > 0)
      .map((l) => `${l.sku} × ${l.quantity}`)
      .join(', ');

  const collect = (order: Waiting) => {
    setRefusal(undefined);
    modal.confirm({
      title: t('pickup.confirmTitle', { orderNumber: order.orderNumber }),
      content: t('pickup.confirmText', {
        name: order.customerName ?? '—',
        phone: order.customerPhone ?? '—',
        items: items(order),
      }),
      okText: t('pickup.confirm'),
      cancelText: t('pickup.keep'),
      autoFocusButton: 'ok',
      onOk: async () => {
        try {
          await api('POST', `/orders/${encodeURIComponent(order.orderNumber)}/collect`, {});
          setCollected((done) => new Set(done).add(order.orderNumber));
          void message.success(t('pickup.done', { orderNumber: order.orderNumber }));
        } catch (err) {
          setRefusal(t('pickup.refused', { orderNumber: order.orderNumber, reason: errorText(err, t) }));
          reload();
        }
      },
    });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('pickup.title')}
      </Typography.Title>
      <Space wrap align="center">
        <Typography.Text strong>{t('pickup.store')}</Typography.Text>
        <Select
          style={{ width: 260 }}
          aria-label={t('pickup.store')}
          placeholder={t('pickup.chooseStore')}
          loading={!where.loaded}
          value={where.chosen?.code}
          onChange={(code: string) => where.choose(code)}
          options={where.locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }))}
        />
        <Input.Search
          allowClear
          autoFocus
          style={{ width: 340 }}
          aria-label={t('pickup.search')}
          placeholder={t('pickup.search')}
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
        {orders && <Typography.Text type="secondary">{t('pickup.waiting', { count: waiting.length })}</Typography.Text>}
      </Space>
      {where.loaded && where.locations.length === 0 && <Alert type="warning" showIcon title={t('pickup.noStores')} />}
      {(where.error ?? error) !== undefined && (
        <Alert type="error" showIcon title={errorText(where.error ?? error, t)} />
      )}
      {refusal && (
        <Alert
          role="alert"
          data-testid="collect-refused"
          type="error"
          showIcon
          closable
          title={refusal}
          onClose={() => setRefusal(undefined)}
        />
      )}
      {!mayCollect && <Alert type="info" showIcon title={t('pickup.notAllowed')} />}
      <Table<Waiting>
        rowKey="orderNumber"
        loading={!orders && !error && where.locations.length > 0}
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: q.trim() && waiting.length ? t('pickup.noMatch', { q: q.trim() }) : t('pickup.empty') }}
        columns={[
          {
            title: t('pickup.order'),
            dataIndex: 'orderNumber',
            render: (n: string) => <Link to={`/orders/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          { title: t('pickup.customer'), dataIndex: 'customerName' },
          { title: t('pickup.phone'), dataIndex: 'customerPhone' },
          { title: t('pickup.items'), key: 'items', render: (_: unknown, o) => items(o) },
          { title: t('pickup.ready'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          {
            key: 'collect',
            align: 'right',
            render: (_: unknown, o) =>
              mayCollect && (
                <Button type="primary" icon={<CheckOutlined />} onClick={() => collect(o)}>
                  {t('pickup.collected')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}
