/** The ledger, newest first: every stock change with who, why and under which reference. */
import { Alert, Input, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { query } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { navigate, useLocation } from '../../router';
import { useApi } from '../../useApi';
import { LocationSelect, type ShopLocation } from './locations';

interface Movement {
  id: number;
  kind: string;
  sku: string;
  locationId: number;
  onHandDelta: number;
  reservedDelta: number;
  reference: string | null;
  actor: string | null;
  reason: string | null;
  createdAt: string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? '' : String(n));

export function Movements({ locations }: { locations: ShopLocation[] }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const sku = params.get('sku') ?? undefined;
  const location = params.get('location') ?? undefined;
  const limit = params.get('limit') ?? '100';
  const { data, error, loading } = useApi<{ movements: Movement[] }>(
    `/inventory/movements${query({ sku, location, limit })}`,
    ['stock'],
  );
  const filter = (change: Record<string, string | undefined>) =>
    navigate(`/stock/movements${query({ sku, location, limit, ...change })}`);
  const codeOf = new Map(locations.map((l) => [l.id, l.code]));

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
        <Typography.Text>{t('stock.limit')}</Typography.Text>
        <Select
          aria-label={t('stock.limit')}
          style={{ width: 100 }}
          value={limit}
          onChange={(value: string) => filter({ limit: value })}
          options={['100', '300', '1000'].map((n) => ({ value: n, label: n }))}
        />
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<Movement>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.movements ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('stock.time'), dataIndex: 'createdAt', render: (at: string) => time(at), width: 170 },
          { title: t('stock.kindLabel'), dataIndex: 'kind', render: (k: string) => t(`stock.kind.${k}`, k) },
          { title: t('stock.sku'), dataIndex: 'sku' },
          {
            title: t('stock.location'),
            dataIndex: 'locationId',
            render: (id: number) => codeOf.get(id) ?? id,
          },
          { title: t('stock.onHandDelta'), dataIndex: 'onHandDelta', align: 'right', render: signed },
          { title: t('stock.reservedDelta'), dataIndex: 'reservedDelta', align: 'right', render: signed },
          { title: t('stock.reference'), dataIndex: 'reference' },
          { title: t('stock.actor'), dataIndex: 'actor' },
          { title: t('stock.reason'), dataIndex: 'reason' },
        ]}
      />
    </>
  );
}
