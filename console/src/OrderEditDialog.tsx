/**
 * The order page's edit (PATCH /api/orders/:orderNumber): the address, contact and note as they are, to correct; the
 * lines too while review has not decided. Only what changed is sent; the API's refusal (picked meanwhile, an address
 * review would flag) shows in the dialog, field issues next to their fields.
 */
import { Alert, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { useDialogSubmit } from './screens/dialogSubmit';
import type { OrderView } from './types';

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
const OPTIONAL: readonly string[] = ['line2', 'region'];
/** Lines change only while review has not decided (domain/order-edits.ts); the API refuses it later anyway. */
const LINES_OPEN: readonly string[] = ['RECEIVED', 'IN_REVIEW'];

interface LineValues {
  lineNo: number;
  sku: string;
  quantity: number;
  remove?: boolean;
}

interface Values {
  customerName?: string;
  customerPhone?: string;
  customerEmail?: string;
  address: Record<string, string | undefined>;
  note?: string;
  lines: LineValues[];
  reason?: string;
}

const trimmed = (value: string | undefined | null) => value?.trim() ?? '';

/** The edit body: only what differs from the order (an emptied email or phone is taken off). */
export function editBody(order: OrderView, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const customer: Record<string, string | null> = {};
  if (trimmed(values.customerName) && trimmed(values.customerName) !== trimmed(order.customerName))
    customer.name = trimmed(values.customerName);
  for (const field of ['customerPhone', 'customerEmail'] as const) {
    const now = trimmed(values[field]);
    if (now !== trimmed(order[field])) customer[field === 'customerPhone' ? 'phone' : 'email'] = now || null;
  }
  if (Object.keys(customer).length) body.customer = customer;
  if (order.fulfilment === 'SHIP') {
    const address: Record<string, string> = {};
    for (const f of ADDRESS_FIELDS) {
      const value = trimmed(values.address[f]);
      if (value || !OPTIONAL.includes(f)) address[f] = value;
    }
    const before = order.shippingAddress ?? {};
    if (ADDRESS_FIELDS.some((f) => (address[f] ?? '') !== trimmed(before[f]))) body.shippingAddress = address;
  }
  if (trimmed(values.note) !== trimmed(order.note)) body.note = trimmed(values.note);
  const lines = values.lines.flatMap((l) => {
    const was = order.lines.find((o) => o.lineNo === l.lineNo);
    if (!was) return [];
    if (l.remove) return [{ lineNo: l.lineNo, remove: true }];
    const change: Record<string, unknown> = {};
    if (trimmed(l.sku) !== was.sku) change.sku = trimmed(l.sku);
    if (l.quantity !== was.quantity) change.quantity = l.quantity;
    return Object.keys(change).length ? [{ lineNo: l.lineNo, ...change }] : [];
  });
  if (lines.length) body.lines = lines;
  if (Object.keys(body).length && trimmed(values.reason)) body.reason = trimmed(values.reason);
  return body;
}

export function OrderEditDialog({
  order,
  onCancel,
  onSaved,
}: {
  order: OrderView;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useDialogSubmit(form);
  const linesOpen = LINES_OPEN.includes(order.status);
  const initial: Values = {
    customerName: order.customerName ?? '',
    customerPhone: order.customerPhone ?? '',
    customerEmail: order.customerEmail ?? '',
    address: { country: 'CN', ...(order.shippingAddress ?? {}) },
    note: order.note ?? '',
    lines: order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity })),
  };

  const save = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    const body = editBody(order, { ...initial, ...values, address: { ...initial.address, ...values.address } });
    if (Object.keys(body).length === 0) {
      form.setFields([{ name: 'reason', errors: [t('orderEdit.nothingChanged')] }]);
      return;
    }
    await run(async () => {
      await api('PATCH', `/orders/${encodeURIComponent(order.orderNumber)}`, body);
      onSaved();
    });
  };

  const required = [{ required: true, whitespace: true, message: t('orderEdit.required') }];
  return (
    <Modal
      open
      title={t('orderEdit.title', { orderNumber: order.orderNumber })}
      okText={t('action.confirm')}
      cancelText={t('action.close')}
      okButtonProps={{ loading: busy }}
      onOk={() => void save()}
      onCancel={onCancel}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('orderEdit.help')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={initial}>
        <Typography.Title level={5}>{t('orderEdit.contact')}</Typography.Title>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="customerName" label={t('orderEdit.name')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="customerPhone" label={t('orderEdit.phone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="customerEmail" label={t('orderEdit.email')}>
              <Input maxLength={254} type="email" />
            </Form.Item>
          </Col>
        </Row>
        {order.fulfilment === 'SHIP' && (
          <>
            <Typography.Title level={5}>{t('orderEdit.address')}</Typography.Title>
            <Row gutter={12}>
              {ADDRESS_FIELDS.map((f) => (
                <Col key={f} xs={24} md={f === 'line1' ? 16 : 8}>
                  <Form.Item
                    name={['address', f]}
                    label={t(`orderEdit.${f}`)}
                    rules={OPTIONAL.includes(f) ? [] : required}
                  >
                    <Input maxLength={f === 'country' ? 2 : 200} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        )}
        {linesOpen && (
          <>
            <Typography.Title level={5}>{t('orderEdit.lines')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('orderEdit.linesHelp')}</Typography.Paragraph>
            {order.lines.map((line, i) => (
              <Row key={line.lineNo} gutter={12} align="middle">
                <Form.Item name={['lines', i, 'lineNo']} hidden>
                  <Input />
                </Form.Item>
                <Col span={12}>
                  <Form.Item
                    name={['lines', i, 'sku']}
                    label={`#${line.lineNo} ${t('orderEdit.sku')}`}
                    rules={required}
                  >
                    <Input maxLength={64} />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item name={['lines', i, 'quantity']} label={t('orderEdit.quantity')}>
                    <InputNumber min={1} max={10_000} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item name={['lines', i, 'remove']} valuePropName="checked" label=" ">
                    <Checkbox>{t('orderEdit.remove')}</Checkbox>
                  </Form.Item>
                </Col>
              </Row>
            ))}
          </>
        )}
        <Form.Item name="note" label={t('orderEdit.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="reason" label={t('orderEdit.reason')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
