/** The order's lines: product, free stock per location (kept fresh), quantity, list price and amount. */
import { Button, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { query } from '../../api';
import { money } from '../../format';
import { useApi } from '../../useApi';
import type { CatalogueItem, DraftLine, Issues, Location, StockLevel } from './model';

export function LinesEditor({
  lines,
  items,
  locations,
  pickupStore,
  issues,
  onQuantity,
  onRemove,
}: {
  lines: readonly DraftLine[];
  items: readonly CatalogueItem[];
  locations: readonly Location[];
  /** The store the customer collects from (its stock is what counts), or undefined when shipped. */
  pickupStore: string | undefined;
  issues: Issues;
  onQuantity: (index: number, quantity: number) => void;
  onRemove: (index: number) => void;
}) {
  const { t } = useTranslation();
  const itemOf = (sku: string) => items.find((i) => i.sku === sku);
  return (
    <Table<DraftLine & { index: number }>
      rowKey="sku"
      size="small"
      pagination={false}
      locale={{ emptyText: t('newOrder.noLines') }}
      dataSource={lines.map((l, index) => ({ ...l, index }))}
      columns={[
        {
          title: t('newOrder.sku'),
          dataIndex: 'sku',
          render: (sku: string, l) => (
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{sku}</Typography.Text>
              {issues[`lines.${l.index}.sku`] && (
                <Typography.Text type="danger">{issues[`lines.${l.index}.sku`]}</Typography.Text>
              )}
            </Space>
          ),
        },
        {
          title: t('newOrder.product'),
          render: (_: unknown, l) => {
            const item = itemOf(l.sku);
            return item ? (
              <Space size={4} wrap>
                {item.name}
                <Typography.Text type="secondary">{Object.values(item.attributes).join(' / ')}</Typography.Text>
              </Space>
            ) : null;
          },
        },
        {
          title: t('newOrder.freeStock'),
          render: (_: unknown, l) => (
            <FreeStock sku={l.sku} quantity={l.quantity} locations={locations} pickupStore={pickupStore} />
          ),
        },
        {
          title: t('newOrder.quantity'),
          width: 130,
          render: (_: unknown, l) => (
            <Space orientation="vertical" size={0}>
              <InputNumber
                aria-label={`${t('newOrder.quantity')} ${l.sku}`}
                min={1}
                max={10_000}
                precision={0}
                value={l.quantity}
                status={issues[`lines.${l.index}.quantity`] ? 'error' : undefined}
                onChange={(value) => onQuantity(l.index, typeof value === 'number' ? value : 0)}
                style={{ width: 96 }}
              />
              {issues[`lines.${l.index}.quantity`] && (
                <Typography.Text type="danger">{issues[`lines.${l.index}.quantity`]}</Typography.Text>
              )}
            </Space>
          ),
        },
        {
          title: t('newOrder.unitPrice'),
          align: 'right',
          render: (_: unknown, l) => money(itemOf(l.sku)?.priceMinor ?? 0),
        },
        {
          title: t('newOrder.amount'),
          align: 'right',
          render: (_: unknown, l) => money((itemOf(l.sku)?.priceMinor ?? 0) * l.quantity),
        },
        {
          width: 48,
          render: (_: unknown, l) => (
            <Tooltip title={t('newOrder.remove')}>
              <Button
                type="text"
                danger
                aria-label={`${t('newOrder.remove')} ${l.sku}`}
                icon={<DeleteOutlined />}
                onClick={() => onRemove(l.index)}
              />
            </Tooltip>
          ),
        },
      ]}
    />
  );
}

/**
 * Free stock (on hand less reserved) of one SKU at each location, asked for again every few seconds. Green where it
 * covers the quantity; for a pickup, a warning when the store has too few (the order would wait for stock).
 */
function FreeStock({
  sku,
  quantity,
  locations,
  pickupStore,
}: {
  sku: string;
  quantity: number;
  locations: readonly Location[];
  pickupStore: string | undefined;
}) {
  const { t } = useTranslation();
  const { data } = useApi<{ levels: StockLevel[] }>(`/inventory${query({ sku })}`, ['stock']);
  if (!data) return null;
  const levels = data.levels;
  const nameOf = (code: string) => locations.find((l) => l.code === code)?.name ?? code;
  const atStore = pickupStore ? (levels.find((l) => l.location === pickupStore)?.available ?? 0) : undefined;
  // Shipped orders may be split across the locations that ship.
  const shippable = levels
    .filter((l) => locations.find((x) => x.code === l.location)?.ships !== false)
    .reduce((sum, l) => sum + l.available, 0);
  const shown = pickupStore ? levels.filter((l) => l.location === pickupStore || l.available > 0) : levels;
  return (
    <Space orientation="vertical" size={2} data-testid={`free-stock-${sku}`}>
      <Space size={4} wrap>
        {shown.length === 0 && <Typography.Text type="secondary">{t('newOrder.noStock')}</Typography.Text>}
        {shown.map((l) => (
          <Tooltip key={l.location} title={nameOf(l.location)}>
            <Tag
              color={l.available >= quantity ? 'green' : l.available > 0 ? 'orange' : 'default'}
              style={l.location === pickupStore ? { fontWeight: 600 } : undefined}
            >
              {l.location} {l.available}
            </Tag>
          </Tooltip>
        ))}
      </Space>
      {atStore !== undefined && atStore < quantity && (
        <Typography.Text type="warning">
          {t('newOrder.shortAtStore', { count: atStore, store: pickupStore })}
        </Typography.Text>
      )}
      {atStore === undefined && shippable < quantity && (
        <Typography.Text type="warning">{t('newOrder.shortEverywhere')}</Typography.Text>
      )}
    </Space>
  );
}
