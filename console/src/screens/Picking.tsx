/**
 * Picking: the queue of orders waiting to be picked at a location (remembered), each opening its scan screen
 * (/picking/<orderNumber>), and each shipment's packing slip and carrier label (/picking/<orderNumber>/slip/<seq>).
 */
import type { ReactNode } from 'react';
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { ScanOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { time } from '../format';
import { Link } from '../Link';
import { navigate } from '../router';
import type { SignedIn } from '../types';
import { PackingSlip } from './picking/PackingSlip';
import { pickPath } from './picking/paths';
import { PickScreen } from './picking/PickScreen';
import { PICKING_LOCATION, useChosenLocation, useQueue, type QueueRow } from './picking/places';

/** The paths under /picking. */
export function pickingRoute(path: string, params: URLSearchParams, me: SignedIn): ReactNode | null {
  if (path === '/picking') return <PickingQueue />;
  const slip = /^\/picking\/([^/]+)\/slip\/(\d+)$/.exec(path);
  if (slip) return <PackingSlip orderNumber={decodeURIComponent(slip[1])} seq={Number(slip[2])} />;
  const order = /^\/picking\/([^/]+)$/.exec(path);
  if (!order) return null;
  const seq = Number(params.get('shipment')) || undefined;
  const orderNumber = decodeURIComponent(order[1]);
  // A new screen for each order and shipment: nothing scanned carries over.
  return <PickScreen key={`${orderNumber}:${seq ?? ''}`} orderNumber={orderNumber} seq={seq} me={me} />;
}

export function PickingQueue() {
  const { t } = useTranslation();
  const where = useChosenLocation(PICKING_LOCATION);
  const { queue, error } = useQueue(where.chosen?.code);
  const rows = queue?.rows ?? [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('picking.title')}
      </Typography.Title>
      <Space wrap align="center">
        <Typography.Text strong>{t('picking.location')}</Typography.Text>
        <Select
          style={{ width: 260 }}
          aria-label={t('picking.location')}
          placeholder={t('picking.chooseLocation')}
          loading={!where.loaded}
          value={where.chosen?.code}
          onChange={(code: string) => where.choose(code)}
          options={where.locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }))}
        />
        {queue && (
          <Typography.Text type="secondary" data-testid="picking-count">
            {queue.total > rows.length
              ? t('picking.waitingOf', { count: queue.total, shown: rows.length })
              : t('picking.waiting', { count: queue.total })}
          </Typography.Text>
        )}
      </Space>
      {(where.error ?? error) !== undefined && (
        <Alert type="error" showIcon title={errorText(where.error ?? error, t)} />
      )}
      <Table<QueueRow>
        rowKey="orderNumber"
        loading={!queue && !error}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('picking.empty') }}
        onRow={(row) => ({ onDoubleClick: () => navigate(pickPath(row.orderNumber)) })}
        columns={[
          {
            title: t('picking.order'),
            dataIndex: 'orderNumber',
            render: (n: string, row) => (
              <Space size="small">
                <Link to={pickPath(n)}>{n}</Link>
                {row.urgent && <Tag color="red">{t('order.urgent')}</Tag>}
              </Space>
            ),
          },
          { title: t('picking.customer'), dataIndex: 'customerName' },
          { title: t('picking.channel'), dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
          { title: t('picking.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          {
            key: 'pick',
            align: 'right',
            render: (_: unknown, row: QueueRow) => (
              <Button type="primary" icon={<ScanOutlined />} onClick={() => navigate(pickPath(row.orderNumber))}>
                {t('picking.start')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
