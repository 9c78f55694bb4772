/** Stock per SKU and location, filtered by SKU, location and low stock (available below the safety stock). */
import { Alert, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { query } from '../../api';
import { errorText } from '../../errors';
import { navigate, useLocation } from '../../router';
import { useApi } from '../../useApi';
import { LocationSelect, type ShopLocation } from './locations';
import { SafetyStock } from './SafetyStock';

export interface StockLevel {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  safetyStock: number;
}

/** As domain/stock.ts says: available below the safety stock. */
export const isLow = (level: StockLevel) => level.available < level.safetyStock;

export function Levels({ locations, mayAdjust }: { locations: ShopLocation[]; mayAdjust: boolean }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const sku = params.get('sku') ?? undefined;
  const location = params.get('location') ?? undefined;
  const low = params.get('low') === 'true' ? 'true' : undefined;
  const { data, error, loading, reload } = useApi<{ levels: StockLevel[] }>(
    `/inventory${query({ sku, location, low })}`,
    ['stock'],
  );
  const filter = (change: Record<string, string | undefined>) =>
    navigate(`/stock${query({ sku, location, low, ...change })}`);
  const levels = data?.levels ?? [];
  const lowCount = levels.filter(isLow).length;

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          style={{ width: 240 }}
          aria-label={t('stock.skuFilter')}
          placeholder={t('stock.skuFilter')}
          defaultValue={sku}
          onSearch={(value) => filter({ sku: value.trim() || undefined })}
        />
        <LocationSelect
          allowClear
          ariaLabel={t('stock.location')}
          placeholder={t('stock.allLocations')}
          locations={locations}
          value={location}
          onChange={(code) => filter({ location: code })}
        />
        <Checkbox checked={low === 'true'} onChange={(e) => filter({ low: e.target.checked ? 'true' : undefined })}>
          {t('stock.lowOnly')}
        </Checkbox>
        {lowCount > 0 && <Tag color="red">{t('stock.lowCount', { count: lowCount })}</Tag>}
        <Typography.Text type="secondary">{t('stock.lowHelp')}</Typography.Text>
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<StockLevel>
        rowKey={(l) => `${l.sku}@${l.location}`}
        size="small"
        loading={loading}
        dataSource={levels}
        locale={{ emptyText: t('stock.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        onRow={(l) => ({ style: isLow(l) ? { background: '#fff1f0' } : undefined })}
        columns={[
          { title: t('stock.sku'), dataIndex: 'sku' },
          { title: t('stock.location'), dataIndex: 'location' },
          { title: t('stock.onHand'), dataIndex: 'onHand', align: 'right' },
          { title: t('stock.reserved'), dataIndex: 'reserved', align: 'right' },
          {
            title: t('stock.available'),
            align: 'right',
            render: (_: unknown, l) => (
              <Typography.Text type={isLow(l) ? 'danger' : undefined} strong={isLow(l)}>
                {l.available}
              </Typography.Text>
            ),
          },
          {
            title: t('stock.safetyStock'),
            align: 'right',
            render: (_: unknown, l) => <SafetyStock level={l} mayAdjust={mayAdjust} onSaved={reload} />,
          },
          {
            title: '',
            width: 80,
            render: (_: unknown, l) => isLow(l) && <Tag color="red">{t('stock.low')}</Tag>,
          },
        ]}
      />
    </>
  );
}
