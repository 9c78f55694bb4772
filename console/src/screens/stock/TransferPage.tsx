/** One transfer: its lines, and for a role that may move stock, ship or cancel it (requested) or receive it. */
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, InputNumber, Popconfirm, Space, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { Link } from '../../Link';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import type { ShopLocation } from './locations';
import { TransferStatusTag, type TransferRecord } from './Transfers';

export function TransferPage({
  transferNumber,
  me,
  locations,
}: {
  transferNumber: string;
  me: SignedIn;
  locations: ShopLocation[];
}) {
  const { t } = useTranslation();
  const path = `/transfers/${encodeURIComponent(transferNumber)}`;
  const { data, error, reload } = useApi<TransferRecord>(path, ['stock']);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [received, setReceived] = useState<Record<string, number>>({});

  if (error instanceof ApiError && error.status === 404) {
    return <Alert type="warning" showIcon message={t('stock.transferNotFound')} description={transferNumber} />;
  }
  if (!data) return error ? <Alert type="error" showIcon message={errorText(error, t)} /> : <Spin />;
  const codeOf = (id: number) => locations.find((l) => l.id === id)?.code ?? String(id);
  const from = codeOf(data.fromLocationId);
  const to = codeOf(data.toLocationId);
  const mayMove = me.permissions.includes('transfers.move');

  const run = async (step: 'ship' | 'cancel' | 'receive', body: unknown) => {
    setActionError(undefined);
    setBusy(true);
    try {
      await api('POST', `${path}/${step}`, body);
      reload();
    } catch (err) {
      setActionError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  const receivedOf = (sku: string, quantity: number) => received[sku] ?? quantity;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Link to="/stock/transfers">← {t('stock.back')}</Link>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {data.transferNumber}
        </Typography.Title>
        <span data-testid="transfer-status">
          <TransferStatusTag status={data.status} />
        </span>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('stock.from')}>{from}</Descriptions.Item>
        <Descriptions.Item label={t('stock.to')}>{to}</Descriptions.Item>
        <Descriptions.Item label={t('stock.requestedBy')}>
          {data.requestedBy} · {time(data.createdAt)}
        </Descriptions.Item>
        {data.note && <Descriptions.Item label={t('stock.note')}>{data.note}</Descriptions.Item>}
        {data.shippedAt && <Descriptions.Item label={t('stock.shippedAt')}>{time(data.shippedAt)}</Descriptions.Item>}
        {data.receivedAt && (
          <Descriptions.Item label={t('stock.receivedAt')}>{time(data.receivedAt)}</Descriptions.Item>
        )}
      </Descriptions>
      {actionError && (
        <Alert type="error" showIcon message={actionError} closable onClose={() => setActionError(undefined)} />
      )}
      {mayMove && data.status === 'REQUESTED' && (
        <Space wrap>
          <Popconfirm
            title={t('stock.shipConfirm', { from })}
            okText={t('stock.confirm')}
            cancelText={t('stock.close')}
            onConfirm={() => void run('ship', {})}
          >
            <Button type="primary" loading={busy}>
              {t('stock.ship')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('stock.cancelConfirm')}
            okText={t('stock.confirm')}
            cancelText={t('stock.close')}
            onConfirm={() => void run('cancel', {})}
          >
            <Button danger loading={busy}>
              {t('stock.cancel')}
            </Button>
          </Popconfirm>
        </Space>
      )}
      <Card
        size="small"
        title={data.status === 'IN_TRANSIT' && mayMove ? t('stock.receiveTitle', { to }) : t('stock.lines')}
      >
        <Table
          rowKey="lineNo"
          size="small"
          pagination={false}
          dataSource={data.lines}
          columns={[
            { title: t('stock.sku'), dataIndex: 'sku' },
            { title: t('stock.quantity'), dataIndex: 'quantity', align: 'right' },
            {
              title: t('stock.receivedQty'),
              align: 'right',
              render: (_: unknown, l: TransferRecord['lines'][number]) =>
                data.status === 'IN_TRANSIT' && mayMove ? (
                  <InputNumber
                    aria-label={t('stock.receivedOf', { sku: l.sku })}
                    min={0}
                    max={1_000_000}
                    precision={0}
                    value={receivedOf(l.sku, l.quantity)}
                    onChange={(value) => setReceived((r) => ({ ...r, [l.sku]: value ?? 0 }))}
                  />
                ) : (
                  (l.received ?? '')
                ),
            },
          ]}
        />
        {data.status === 'IN_TRANSIT' && mayMove && (
          <Button
            type="primary"
            loading={busy}
            style={{ marginTop: 16 }}
            onClick={() =>
              void run('receive', {
                lines: data.lines.map((l) => ({ sku: l.sku, received: receivedOf(l.sku, l.quantity) })),
              })
            }
          >
            {t('stock.receive')}
          </Button>
        )}
      </Card>
      {!mayMove || (data.status !== 'REQUESTED' && data.status !== 'IN_TRANSIT') ? (
        <Typography.Text type="secondary">{t('stock.nothingNow')}</Typography.Text>
      ) : null}
    </Space>
  );
}
