/**
 * Orders: newest first, filtered by status, channel, location, delay warning, delivery exception and date, searched
 * by number, external id, name, email or phone; a page at a time by the API's cursor, with the total. The filters
 * live in the address, so a number on Today links to its list and a list can be bookmarked. Reloads when orders move.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ORDER_STATUSES, SALES_CHANNELS, WAITING_STAGES } from '../../domain/order-status';
import { query } from './api';
import { errorText } from './errors';
import { money, time, TIME_ZONE } from './format';
import { Link } from './Link';
import { StatusTag } from './Labels';
import { navigate, useLocation } from './router';
import type { OrderRow } from './types';
import { pathTo, type QueryOf } from './typed-api';
import { useApi } from './useApi';

const PAGE = 50;
const FILTERS = ['status', 'channel', 'location', 'warning', 'exception', 'from', 'to', 'q'] as const;
type Filter = (typeof FILTERS)[number];

interface OrderPage {
  orders: OrderRow[];
  total: number;
  nextCursor: string | null;
}

export function Orders() {
  const { t } = useTranslation();
  const { params } = useLocation();
  // As the address has them: the API checks them (an unknown status is a 422, shown like any refusal).
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined])) as Pick<
    QueryOf<'/orders'>,
    Filter
  >;
  // The cursors of the pages before this one (the first page has none); other filters start again at the first.
  const [cursors, setCursors] = useState<string[]>([]);
  const filterKey = params.toString();
  useEffect(() => setCursors([]), [filterKey]);
  const cursor = cursors[cursors.length - 1];
  const { data, error, loading } = useApi<OrderPage>(pathTo('/orders', {}, { ...filters, limit: PAGE, cursor }), [
    'orders',
  ]);
  const locations = useApi<{ locations: { code: string; name: string }[] }>('/locations');
  const filter = (change: Partial<Record<Filter, string | undefined>>) => {
    setCursors([]);
    navigate(`/orders${query({ ...filters, ...change })}`);
  };
  // `to` is the start of the day after the last one chosen (excluded); a link from Today sets `from` alone.
  const range: [Dayjs | null, Dayjs | null] | null =
    filters.from || filters.to
      ? [
          filters.from ? dayjs(filters.from).tz(TIME_ZONE) : null,
          filters.to ? dayjs(filters.to).tz(TIME_ZONE).subtract(1, 'day') : null,
        ]
      : null;

  return (
    <>
      <Space align="baseline" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2}>{t('orders.title')}</Typography.Title>
        {data && <Typography.Text type="secondary">{t('orders.total_count', { count: data.total })}</Typography.Text>}
      </Space>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('orders.allStatuses')}
          aria-label={t('orders.status')}
          value={filters.status}
          onChange={(value?: string) => filter({ status: value })}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('orders.allChannels')}
          aria-label={t('orders.channel')}
          value={filters.channel}
          onChange={(value?: string) => filter({ channel: value })}
          options={SALES_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('orders.allLocations')}
          aria-label={t('orders.location')}
          value={filters.location}
          onChange={(value?: string) => filter({ location: value })}
          options={(locations.data?.locations ?? []).map((l) => ({ value: l.code, label: `${l.code} ${l.name}` }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('orders.anyWarning')}
          aria-label={t('orders.warning')}
          value={filters.warning}
          onChange={(value?: string) => filter({ warning: value })}
          options={[
            { value: 'any', label: t('orders.lateAnywhere') },
            ...WAITING_STAGES.map((s) => ({ value: s, label: `${t('orders.lateIn')} ${t(`stage.${s}`)}` })),
          ]}
        />
        <Checkbox
          checked={filters.exception === 'true'}
          onChange={(e) => filter({ exception: e.target.checked ? 'true' : undefined })}
        >
          {t('orders.exception')}
        </Checkbox>
        <DatePicker.RangePicker
          aria-label={t('orders.created')}
          allowEmpty={[true, true]}
          value={range}
          onChange={(days) =>
            filter({
              from: days?.[0]?.tz(TIME_ZONE, true).startOf('day').toISOString(),
              to: days?.[1]?.tz(TIME_ZONE, true).add(1, 'day').startOf('day').toISOString(),
            })
          }
        />
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('orders.search')}
          defaultValue={filters.q}
          onSearch={(value) => filter({ q: value.trim() || undefined })}
        />
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<OrderRow>
        rowKey="orderNumber"
        loading={loading}
        dataSource={data?.orders ?? []}
        pagination={false}
        columns={[
          {
            title: t('orders.number'),
            dataIndex: 'orderNumber',
            render: (n: string) => <Link to={`/orders/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          {
            title: t('orders.status'),
            dataIndex: 'status',
            render: (s: OrderRow['status']) => <StatusTag status={s} />,
          },
          { title: t('orders.channel'), dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
          { title: t('orders.customer'), dataIndex: 'customerName' },
          { title: t('orders.phone'), dataIndex: 'customerPhone' },
          {
            title: t('orders.total'),
            align: 'right',
            render: (_: unknown, o) => money(o.totalMinor, o.currency),
          },
          { title: t('orders.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('orders.previous')}
        </Button>
        <Button
          disabled={!data?.nextCursor}
          onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}
        >
          {t('orders.next')}
        </Button>
      </Space>
    </>
  );
}
