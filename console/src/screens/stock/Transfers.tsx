/** Transfers between locations: the list (GET /api/transfers) by status, and requesting a new one. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { Link } from '../../Link';
import { navigate, useLocation } from '../../router';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { LocationSelect, type ShopLocation } from './locations';

export const TRANSFER_STATUSES = ['REQUESTED', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED'] as const;
const COLOURS: Record<string, string> = {
  REQUESTED: 'orange',
  IN_TRANSIT: 'blue',
  RECEIVED: 'green',
  CANCELLED: 'default',
};

export interface TransferRecord {
  transferNumber: string;
  fromLocationId: number;
  toLocationId: number;
  from?: string;
  to?: string;
  status: string;
  requestedBy: string;
  note: string | null;
  createdAt: string;
  shippedAt: string | null;
  receivedAt: string | null;
  lines: { lineNo: number; sku: string; quantity: number; received: number | null }[];
}

export function TransferStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status] ?? 'default'}>{t(`stock.status.${status}`)}</Tag>;
}

export function Transfers({ me, locations }: { me: SignedIn; locations: ShopLocation[] }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const status = params.get('status') ?? undefined;
  const { data, error, loading } = useApi<{ transfers: TransferRecord[] }>(`/transfers${query({ status })}`, ['stock']);
  const codeOf = new Map(locations.map((l) => [l.id, l.code]));

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('stock.allStatuses')}
          aria-label={t('stock.statusLabel')}
          value={status}
          onChange={(value?: string) => navigate(`/stock/transfers${query({ status: value })}`)}
          options={TRANSFER_STATUSES.map((s) => ({ value: s, label: t(`stock.status.${s}`) }))}
        />
        {me.permissions.includes('transfers.move') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/stock/transfers/new')}>
            {t('stock.newTransfer')}
          </Button>
        )}
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<TransferRecord>
        rowKey="transferNumber"
        size="small"
        loading={loading}
        dataSource={data?.transfers ?? []}
        locale={{ emptyText: t('stock.noTransfers') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          {
            title: t('stock.transfer'),
            dataIndex: 'transferNumber',
            render: (n: string) => <Link to={`/stock/transfers/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          { title: t('stock.from'), render: (_: unknown, x) => x.from ?? codeOf.get(x.fromLocationId) },
          { title: t('stock.to'), render: (_: unknown, x) => x.to ?? codeOf.get(x.toLocationId) },
          {
            title: t('stock.statusLabel'),
            dataIndex: 'status',
            render: (s: string) => <TransferStatusTag status={s} />,
          },
          {
            title: t('stock.lines'),
            render: (_: unknown, x) =>
              x.lines
                .map((l) =>
                  l.received !== null && l.received !== l.quantity
                    ? `${l.sku} ×${l.quantity} (${t('stock.receivedQty')} ${l.received})`
                    : `${l.sku} ×${l.quantity}`,
                )
                .join(', '),
          },
          { title: t('stock.requestedBy'), dataIndex: 'requestedBy' },
          { title: t('stock.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
    </>
  );
}

interface Values {
  from: string;
  to: string;
  note?: string;
  lines: { sku: string; quantity: number }[];
}

export function NewTransfer({ locations }: { locations: ShopLocation[] }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (values: Values) => {
    setError(undefined);
    setBusy(true);
    try {
      const created = await api<TransferRecord>('POST', '/transfers', {
        from: values.from,
        to: values.to,
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
        lines: values.lines.map((l) => ({ sku: l.sku.trim(), quantity: l.quantity })),
      });
      navigate(`/stock/transfers/${encodeURIComponent(created.transferNumber)}`);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('stock.newTransfer')}>
      <Typography.Paragraph type="secondary">{t('stock.transferHelp')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ lines: [{}] }}
        onFinish={(values) => void submit(values)}
      >
        <Space wrap size="large" align="start">
          <Form.Item
            name="from"
            label={t('stock.from')}
            rules={[{ required: true, message: t('stock.chooseLocation') }]}
          >
            <LocationSelect locations={locations} placeholder={t('stock.chooseLocation')} />
          </Form.Item>
          <Form.Item name="to" label={t('stock.to')} rules={[{ required: true, message: t('stock.chooseLocation') }]}>
            <LocationSelect locations={locations} placeholder={t('stock.chooseLocation')} />
          </Form.Item>
          <Form.Item name="note" label={t('stock.note')}>
            <Input style={{ width: 320 }} maxLength={500} />
          </Form.Item>
        </Space>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('stock.lines')}
        </Typography.Title>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="start" style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item
                    name={[field.name, 'sku']}
                    rules={[{ required: true, whitespace: true, message: t('stock.required') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <Input
                      aria-label={`${t('stock.sku')} ${i + 1}`}
                      placeholder={t('stock.sku')}
                      style={{ width: 220 }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'quantity']}
                    rules={[{ required: true, message: t('stock.required') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <InputNumber
                      aria-label={`${t('stock.quantity')} ${i + 1}`}
                      placeholder={t('stock.quantity')}
                      min={1}
                      max={1_000_000}
                      precision={0}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button
                      aria-label={t('stock.removeLine')}
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                    />
                  )}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ marginTop: 8 }}>
                {t('stock.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} />}
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          {t('stock.submitTransfer')}
        </Button>
      </Form>
    </Card>
  );
}
