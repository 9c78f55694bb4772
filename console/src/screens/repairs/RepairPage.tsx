/**
 * One repair ticket: the device, warranty, fault and diagnosis, the steps so far, and the form for the next step. The
 * form asks what that step needs (a diagnosis and, out of warranty, its charge; the replacement's IMEI; the address to
 * ship back to); the API says what it refuses, shown as it says it.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { money, time } from '../../format';
import { Link } from '../../Link';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import type { RepairTicket } from './model';
import { RepairStatusTag } from './RepairStatusTag';
import { WarrantyTag } from './WarrantyTag';

export function RepairPage({ ticketNumber, me }: { ticketNumber: string; me: SignedIn }) {
  const { t } = useTranslation();
  const ticket = useApi<RepairTicket>(`/repairs/${encodeURIComponent(ticketNumber)}`);
  if (!ticket.data)
    return ticket.error ? <Alert type="error" showIcon message={errorText(ticket.error, t)} /> : <Spin />;
  const r = ticket.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Link to="/repairs">← {t('repairs.back')}</Link>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {r.ticketNumber}
        </Typography.Title>
        <RepairStatusTag status={r.status} />
        <WarrantyTag inWarranty={r.inWarranty} endsAt={r.warrantyEndsAt} />
      </Space>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('repairs.device')}>
          {r.name} · IMEI {r.serial}
        </Descriptions.Item>
        <Descriptions.Item label={t('repairs.created')}>{time(r.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('repairs.fault')}>{r.fault}</Descriptions.Item>
        <Descriptions.Item label={t('repairs.diagnosis')}>{r.diagnosis ?? '-'}</Descriptions.Item>
        {r.chargeMinor > 0 && <Descriptions.Item label={t('repairs.charge')}>{money(r.chargeMinor)}</Descriptions.Item>}
        {r.orderNumber && (
          <Descriptions.Item label={t('repairs.order')}>
            <Link to={`/orders/${encodeURIComponent(r.orderNumber)}`}>{r.orderNumber}</Link>
          </Descriptions.Item>
        )}
        {r.customerId !== null && (
          <Descriptions.Item label={t('repairs.name')}>
            <Link to={`/customers/${r.customerId}`}>{r.contactName ?? r.customerId}</Link>
            {r.contactPhone ? ` · ${r.contactPhone}` : ''}
          </Descriptions.Item>
        )}
        {r.replacementSerial && (
          <Descriptions.Item label={t('repairs.replacementSerial')}>{r.replacementSerial}</Descriptions.Item>
        )}
        {r.trackingNumber && (
          <Descriptions.Item label={t('repairs.parcel')}>
            {r.carrier} {r.trackingNumber}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('repairs.customerPage')}>
          <a href={`/track/${r.trackingToken}`} target="_blank" rel="noreferrer">
            /track/{r.trackingToken}
          </a>
        </Descriptions.Item>
      </Descriptions>
      <Card title={t('repairs.steps')} size="small">
        <Timeline
          items={(r.events ?? []).map((e) => ({
            children: (
              <span>
                <RepairStatusTag status={e.status} /> {time(e.at)} · {e.actor}
                {e.note ? ` · ${e.note}` : ''}
              </span>
            ),
          }))}
        />
      </Card>
      {(r.nextSteps ?? []).length === 0 ? (
        <Alert type="info" showIcon message={t('repairs.closed')} />
      ) : me.permissions.includes('repairs.handle') ? (
        <NextStep ticket={r} onDone={ticket.reload} />
      ) : (
        <Alert type="warning" showIcon message={t('repairs.mayNotHandle')} />
      )}
    </Space>
  );
}

interface StepValues {
  to: string;
  diagnosis?: string;
  charge?: number;
  replacementSerial?: string;
  note?: string;
  shipTo?: { name: string; phone: string; line1: string; city: string; postalCode: string };
}

function NextStep({ ticket, onDone }: { ticket: RepairTicket; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StepValues>();
  const to = Form.useWatch('to', form);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (v: StepValues) => {
    setError(undefined);
    setBusy(true);
    try {
      await api('POST', `/repairs/${encodeURIComponent(ticket.ticketNumber)}/steps`, {
        to: v.to,
        ...(v.diagnosis?.trim() ? { diagnosis: v.diagnosis.trim() } : {}),
        ...(v.to === 'DIAGNOSED' && !ticket.inWarranty && v.charge ? { chargeMinor: Math.round(v.charge * 100) } : {}),
        ...(v.replacementSerial?.trim() ? { replacementSerial: v.replacementSerial.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        ...(v.to === 'SHIPPED_BACK' && v.shipTo ? { shipTo: { ...v.shipTo, country: 'CN' } } : {}),
      });
      form.resetFields();
      onDone();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('repairs.nextStep')} size="small">
      <Form<StepValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        style={{ maxWidth: 560 }}
        initialValues={{ to: ticket.nextSteps?.[0] }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="to" label={t('repairs.step')} rules={[{ required: true }]}>
          <Select options={(ticket.nextSteps ?? []).map((s) => ({ value: s, label: t(`repairs.status.${s}`) }))} />
        </Form.Item>
        {to === 'DIAGNOSED' && (
          <>
            <Form.Item name="diagnosis" label={t('repairs.diagnosis')} rules={[{ required: true }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            {!ticket.inWarranty && (
              <Form.Item name="charge" label={t('repairs.charge')}>
                <InputNumber min={0} precision={2} style={{ width: 200 }} />
              </Form.Item>
            )}
          </>
        )}
        {to === 'REPLACED' && (
          <Form.Item name="replacementSerial" label={t('repairs.replacementSerial')} rules={[{ required: true }]}>
            <Input maxLength={15} inputMode="numeric" />
          </Form.Item>
        )}
        {to === 'SHIPPED_BACK' && (
          <Card size="small" title={t('repairs.shipTo')} style={{ marginBottom: 16 }}>
            {(['name', 'phone', 'line1', 'city', 'postalCode'] as const).map((field) => (
              <Form.Item
                key={field}
                name={['shipTo', field]}
                label={t(`repairs.${field}`)}
                rules={[{ required: true }]}
                initialValue={
                  field === 'name'
                    ? (ticket.contactName ?? undefined)
                    : field === 'phone'
                      ? (ticket.contactPhone ?? undefined)
                      : undefined
                }
              >
                <Input maxLength={200} />
              </Form.Item>
            ))}
          </Card>
        )}
        <Form.Item name="note" label={t('repairs.note')}>
          <Input maxLength={500} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('repairs.record')}
        </Button>
      </Form>
    </Card>
  );
}
