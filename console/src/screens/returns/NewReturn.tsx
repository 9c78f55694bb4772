/**
 * Opening a return or exchange for an order (`/returns/new?order=…`, linked from the order page): its delivered
 * lines, whether the after-sales window is open, and the lines and quantities to take back. The API decides: what
 * it refuses (outside the window, too many units) is shown as it says it.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { RETURN_REASONS } from '../../../../domain/after-sales';
import { api, ApiError } from '../../api';
import { errorText } from '../../errors';
import { money, time } from '../../format';
import { StatusTag } from '../../Labels';
import { Link } from '../../Link';
import { navigate, useLocation } from '../../router';
import type { OrderActions, SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { deliveredLines, type DeliveredLine, type OrderWithAllocations, type ReturnKind } from './model';

interface Chosen {
  quantity: number;
  replacementSku: string;
}

export function NewReturn({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const { params } = useLocation();
  const orderNumber = params.get('order')?.trim() ?? '';

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Link to="/returns">← {t('returns.back')}</Link>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('returns.newReturn')}
        </Typography.Title>
      </Space>
      {!me.permissions.includes('returns.open') ? (
        <Alert type="warning" showIcon message={t('returns.mayNotOpen')} />
      ) : (
        <>
          <Input.Search
            style={{ maxWidth: 420 }}
            aria-label={t('returns.findOrder')}
            placeholder={t('returns.findPlaceholder')}
            defaultValue={orderNumber}
            enterButton={t('returns.find')}
            onSearch={(value) => navigate(`/returns/new?order=${encodeURIComponent(value.trim())}`)}
          />
          {orderNumber && <OrderReturnForm orderNumber={orderNumber} />}
        </>
      )}
    </Space>
  );
}

function OrderReturnForm({ orderNumber }: { orderNumber: string }) {
  const { t } = useTranslation();
  const path = `/orders/${encodeURIComponent(orderNumber)}`;
  const order = useApi<OrderWithAllocations>(path);
  const actions = useApi<OrderActions>(`${path}/actions`, ['orders']);

  if (order.error instanceof ApiError && order.error.status === 404) {
    return <Alert type="warning" showIcon message={t('returns.orderNotFound')} description={orderNumber} />;
  }
  if (!order.data) return order.error ? <Alert type="error" showIcon message={errorText(order.error, t)} /> : <Spin />;
  const view = order.data;
  const windowOpen = actions.data?.actions.some((a) => a.action === 'requestReturn') ?? false;
  const deliveredAt = view.timeline.find((e) => e.kind === 'status' && e.status === 'DELIVERED')?.at;
  const openReturn = view.returns.find((r) => ['REQUESTED', 'APPROVED', 'RECEIVED'].includes(r.status));

  const why = windowOpen
    ? undefined
    : view.status === 'COMPLETED'
      ? t('returns.windowClosed')
      : view.status === 'AFTER_SALES' || openReturn
        ? t('returns.alreadyOpen')
        : ['DELIVERED', 'REJECTED', 'CANCELLED'].includes(view.status)
          ? t('returns.cannotNow')
          : t('returns.notDelivered');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Link to={path}>{view.orderNumber}</Link>
          <StatusTag status={view.status} />
          <Typography.Text>{view.customerName}</Typography.Text>
          {deliveredAt && (
            <Typography.Text type="secondary">{t('returns.deliveredAt', { at: time(deliveredAt) })}</Typography.Text>
          )}
        </Space>
      </Card>
      {actions.data &&
        (windowOpen ? (
          <Alert type="success" showIcon message={t('returns.windowOpen')} data-testid="return-window" />
        ) : (
          <Alert
            type="warning"
            showIcon
            data-testid="return-window"
            message={why}
            description={
              openReturn && (
                <Link to={`/returns/${encodeURIComponent(openReturn.returnNumber)}`}>{openReturn.returnNumber}</Link>
              )
            }
          />
        ))}
      <ReturnForm order={view} />
    </Space>
  );
}

interface Values {
  kind: ReturnKind;
  reason: string;
  source: 'customer' | 'staff';
  note?: string;
}

function ReturnForm({ order }: { order: OrderWithAllocations }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'RETURN';
  const [chosen, setChosen] = useState<Record<number, Chosen | undefined>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const lines = deliveredLines(order).filter((l) => l.delivered > 0);

  const choose = (line: DeliveredLine, on: boolean) =>
    setChosen((c) => ({ ...c, [line.lineNo]: on ? { quantity: 1, replacementSku: '' } : undefined }));
  const change = (lineNo: number, patch: Partial<Chosen>) =>
    setChosen((c) => ({ ...c, [lineNo]: { ...c[lineNo]!, ...patch } }));
  const picked = Object.entries(chosen).flatMap(([lineNo, c]) => (c ? [{ lineNo: Number(lineNo), ...c }] : []));
  const estimate = picked.reduce(
    (sum, p) => sum + p.quantity * (lines.find((l) => l.lineNo === p.lineNo)?.unitPriceMinor ?? 0),
    0,
  );

  const submit = async (values: Values) => {
    setError(undefined);
    if (picked.length === 0) return setError(t('returns.chooseSomething'));
    if (values.kind === 'EXCHANGE' && picked.some((p) => !p.replacementSku.trim()))
      return setError(t('returns.needReplacement'));
    setBusy(true);
    try {
      const created = await api<{ returnNumber: string }>(
        'POST',
        `/orders/${encodeURIComponent(order.orderNumber)}/returns`,
        {
          kind: values.kind,
          reason: values.reason,
          source: values.source,
          ...(values.note?.trim() ? { note: values.note.trim() } : {}),
          lines: picked.map((p) => ({
            lineNo: p.lineNo,
            quantity: p.quantity,
            ...(values.kind === 'EXCHANGE' ? { replacementSku: p.replacementSku.trim() } : {}),
          })),
        },
      );
      navigate(`/returns/${encodeURIComponent(created.returnNumber)}`);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <Card title={t('returns.lines')} size="small">
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: 'RETURN', source: 'customer' }}
        onFinish={(values) => void submit(values)}
      >
        <Table<DeliveredLine>
          rowKey="lineNo"
          size="small"
          pagination={false}
          dataSource={lines}
          locale={{ emptyText: t('returns.noLines') }}
          style={{ marginBottom: 16 }}
          columns={[
            {
              title: t('returns.choose'),
              width: 72,
              render: (_: unknown, l) => (
                <Checkbox
                  aria-label={t('returns.chooseLine', { lineNo: l.lineNo })}
                  disabled={l.returnable === 0}
                  checked={chosen[l.lineNo] !== undefined}
                  onChange={(e) => choose(l, e.target.checked)}
                />
              ),
            },
            { title: t('returns.line'), dataIndex: 'lineNo', width: 48 },
            { title: t('returns.sku'), dataIndex: 'sku' },
            { title: t('returns.ordered'), dataIndex: 'ordered', align: 'right' },
            { title: t('returns.delivered'), dataIndex: 'delivered', align: 'right' },
            { title: t('returns.returned'), dataIndex: 'returned', align: 'right' },
            {
              title: t('returns.unitPrice'),
              align: 'right',
              render: (_: unknown, l) => money(l.unitPriceMinor, order.currency),
            },
            {
              title: t('returns.quantity'),
              width: 110,
              render: (_: unknown, l) =>
                chosen[l.lineNo] && (
                  <InputNumber
                    aria-label={t('returns.quantityOf', { lineNo: l.lineNo })}
                    min={1}
                    max={Math.max(1, l.returnable)}
                    precision={0}
                    value={chosen[l.lineNo]!.quantity}
                    onChange={(value) => change(l.lineNo, { quantity: value ?? 1 })}
                  />
                ),
            },
            ...(kind === 'EXCHANGE'
              ? [
                  {
                    title: t('returns.replacement'),
                    render: (_: unknown, l: DeliveredLine) =>
                      chosen[l.lineNo] && (
                        <Input
                          aria-label={t('returns.replacementOf', { lineNo: l.lineNo })}
                          placeholder={l.sku}
                          value={chosen[l.lineNo]!.replacementSku}
                          onChange={(e) => change(l.lineNo, { replacementSku: e.target.value })}
                        />
                      ),
                  },
                ]
              : []),
          ]}
        />
        <Space wrap size="large" align="start">
          <Form.Item name="kind" label={t('returns.whatKind')}>
            <Radio.Group
              optionType="button"
              options={(['RETURN', 'EXCHANGE'] as const).map((k) => ({ value: k, label: t(`returns.kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('returns.reasonLabel')}
            rules={[{ required: true, message: t('returns.chooseReason') }]}
          >
            <Select
              style={{ width: 200 }}
              options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returns.reason.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="source" label={t('returns.sourceLabel')}>
            <Radio.Group
              options={(['customer', 'staff'] as const).map((s) => ({ value: s, label: t(`returns.source.${s}`) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('returns.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy}>
            {kind === 'EXCHANGE' ? t('returns.submitExchange') : t('returns.submit')}
          </Button>
          {kind === 'RETURN' && estimate > 0 && (
            <Typography.Text type="secondary">
              {t('returns.refundEstimate', { amount: money(estimate, order.currency) })}
            </Typography.Text>
          )}
        </Space>
      </Form>
    </Card>
  );
}
