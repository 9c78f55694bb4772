/**
 * The repair counter (维修): a unit found by its IMEI with its sale and warranty, taken in with the customer's words
 * for the fault; the tickets; one ticket's page with its steps and the next one to record. The API decides what may
 * follow and says why not; the screen shows it as it says it.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { REPAIR_STATUSES } from '../../../domain/repairs';
import { api, ApiError, query } from '../api';
import { errorText } from '../errors';
import { time } from '../format';
import { Link } from '../Link';
import { navigate, useLocation } from '../router';
import type { SignedIn } from '../types';
import { useApi } from '../useApi';
import { RepairPage } from './repairs/RepairPage';
import type { RepairTicket } from './repairs/model';
import { WarrantyTag } from './repairs/WarrantyTag';
import { RepairStatusTag } from './repairs/RepairStatusTag';

/** The repair counter's pages (null for a path that is not one of them). */
export function repairsScreen(path: string, _params: URLSearchParams, me: SignedIn): ReactNode | null {
  if (path === '/repairs') return <RepairsDesk me={me} />;
  const ticketNumber = /^\/repairs\/([^/]+)$/.exec(path)?.[1];
  return ticketNumber ? <RepairPage ticketNumber={decodeURIComponent(ticketNumber)} me={me} /> : null;
}

interface Unit {
  serial: string;
  sku: string;
  name: string;
  status: string;
  order: { orderNumber: string; customerName: string | null } | null;
  sale: { at: string } | null;
  warranty: { inWarranty: boolean; endsAt: string | null };
  openTicket: string | null;
}

function RepairsDesk({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const status = params.get('status') ?? undefined;
  const open = params.get('open') ?? undefined;
  const { data, error, loading } = useApi<{ repairs: RepairTicket[] }>(`/repairs${query({ status, open })}`, 5_000);
  const filter = (change: Record<string, string | undefined>) =>
    navigate(`/repairs${query({ status, open, ...change })}`);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('repairs.title')}
      </Typography.Title>
      {me.permissions.includes('repairs.handle') && <TakeIn />}
      <Space wrap>
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('repairs.allStatuses')}
          aria-label={t('repairs.statusLabel')}
          value={status}
          onChange={(value?: string) => filter({ status: value })}
          options={REPAIR_STATUSES.map((s) => ({ value: s, label: t(`repairs.status.${s}`) }))}
        />
        <Space>
          <Switch
            aria-label={t('repairs.openOnly')}
            checked={open === 'true'}
            onChange={(on) => filter({ open: on ? 'true' : undefined })}
          />
          {t('repairs.openOnly')}
        </Space>
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={errorText(error, t)} />}
      <Table<RepairTicket>
        rowKey="ticketNumber"
        loading={loading}
        dataSource={data?.repairs ?? []}
        locale={{ emptyText: t('repairs.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('repairs.number'),
            dataIndex: 'ticketNumber',
            render: (n: string) => <Link to={`/repairs/${encodeURIComponent(n)}`}>{n}</Link>,
          },
          { title: 'IMEI', dataIndex: 'serial' },
          { title: 'SKU', dataIndex: 'sku' },
          {
            title: t('repairs.statusLabel'),
            dataIndex: 'status',
            render: (s: string) => <RepairStatusTag status={s} />,
          },
          {
            title: t('repairs.warranty'),
            dataIndex: 'inWarranty',
            render: (w: boolean) => (w ? t('repairs.yes') : t('repairs.no')),
          },
          { title: t('repairs.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
    </Space>
  );
}

interface TakeInValues {
  fault: string;
  location: string;
  language?: string;
}

/** Find the unit by IMEI, see its warranty, take it in. */
function TakeIn() {
  const { t } = useTranslation();
  const [serial, setSerial] = useState('');
  const unit = useApi<Unit>(serial ? `/repairs/units/${encodeURIComponent(serial)}` : null);
  const locations = useApi<{ locations: { code: string; name: string }[] }>('/locations');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: TakeInValues) => {
    setError(undefined);
    setBusy(true);
    try {
      const created = await api<RepairTicket>('POST', '/repairs', { serial, ...values });
      navigate(`/repairs/${encodeURIComponent(created.ticketNumber)}`);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  const found = unit.data && unit.data.serial === serial ? unit.data : undefined;
  return (
    <Card title={t('repairs.takeIn')} size="small">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          style={{ maxWidth: 420 }}
          aria-label={t('repairs.findUnit')}
          placeholder={t('repairs.findUnit')}
          enterButton={t('repairs.find')}
          onSearch={(value) => setSerial(value.trim())}
        />
        {unit.error instanceof ApiError && unit.error.status === 404 ? (
          <Alert type="warning" showIcon message={t('repairs.unitNotFound')} />
        ) : unit.error ? (
          <Alert type="error" showIcon message={errorText(unit.error, t)} />
        ) : null}
        {found && (
          <>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('repairs.device')}>
                {found.name} · {found.sku}
              </Descriptions.Item>
              <Descriptions.Item label={t('repairs.warranty')}>
                <Space wrap>
                  <WarrantyTag inWarranty={found.warranty.inWarranty} endsAt={found.warranty.endsAt} />
                  {found.sale && found.order ? (
                    <span>
                      {t('repairs.soldOn', { at: time(found.sale.at) })}
                      <Link to={`/orders/${encodeURIComponent(found.order.orderNumber)}`}>
                        {found.order.orderNumber}
                      </Link>
                    </span>
                  ) : (
                    found.status !== 'SOLD' && t('repairs.neverSold')
                  )}
                </Space>
              </Descriptions.Item>
            </Descriptions>
            {found.openTicket ? (
              <Alert
                type="info"
                showIcon
                message={
                  <Link to={`/repairs/${encodeURIComponent(found.openTicket)}`}>
                    {t('repairs.openTicket', { ticket: found.openTicket })}
                  </Link>
                }
              />
            ) : (
              found.status === 'SOLD' && (
                <Form<TakeInValues>
                  layout="vertical"
                  requiredMark={false}
                  onFinish={(v) => void submit(v)}
                  style={{ maxWidth: 560 }}
                >
                  <Form.Item name="fault" label={t('repairs.fault')} rules={[{ required: true }]}>
                    <Input.TextArea rows={2} maxLength={1000} />
                  </Form.Item>
                  <Form.Item name="location" label={t('repairs.counter')} rules={[{ required: true }]}>
                    <Select
                      options={(locations.data?.locations ?? []).map((l) => ({
                        value: l.code,
                        label: `${l.name} (${l.code})`,
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name="language" label={t('repairs.language')}>
                    <Select
                      allowClear
                      options={[
                        { value: 'zh-CN', label: '中文' },
                        { value: 'en', label: 'English' },
                      ]}
                    />
                  </Form.Item>
                  {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
                  <Button type="primary" htmlType="submit" loading={busy}>
                    {t('repairs.takeIn')}
                  </Button>
                </Form>
              )
            )}
          </>
        )}
      </Space>
    </Card>
  );
}
