/**
 * A receipt (supplier delivery), a count (盘点) or a write-off at one location: lines of SKU and quantity (counted,
 * for a count), serials for phones. The reference (delivery note, count sheet, slip) makes each apply once.
 */
import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { LocationSelect, type ShopLocation } from './locations';

export type DocumentKind = 'receipt' | 'count' | 'writeOff';

const SETUP = {
  receipt: { prefix: 'DN', route: '/inventory/receipts', help: 'receiptHelp', submit: 'submitReceipt' },
  count: { prefix: 'CNT', route: '/inventory/counts', help: 'countHelp', submit: 'submitCount' },
  writeOff: { prefix: 'WO', route: '/inventory/write-offs', help: 'writeOffHelp', submit: 'submitWriteOff' },
} as const;

interface Values {
  location: string;
  reference: string;
  reason?: string;
  lines: { sku: string; quantity: number; serials?: string }[];
}

interface Adjustment {
  sku: string;
  recorded: number;
  counted: number;
  delta: number;
}

type Outcome =
  | { kind: 'done'; message: string; adjustments?: Adjustment[] }
  | { kind: 'same'; message: string }
  | { kind: 'error'; message: string };

const newReference = (prefix: string) => `${prefix}-${dayjs().format('YYYYMMDD-HHmmss')}`;

export function StockDocument({ kind, locations }: { kind: DocumentKind; locations: ShopLocation[] }) {
  const { t } = useTranslation();
  const setup = SETUP[kind];
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const counting = kind === 'count';

  const submit = async (values: Values) => {
    setOutcome(undefined);
    setBusy(true);
    const reference = values.reference.trim();
    const lines = values.lines.map((l) => {
      const serials = (l.serials ?? '').split(/[\s,;]+/).filter(Boolean);
      return counting
        ? { sku: l.sku.trim(), counted: l.quantity }
        : { sku: l.sku.trim(), quantity: l.quantity, ...(serials.length ? { serials } : {}) };
    });
    const reason = values.reason?.trim();
    try {
      const answer = await api<{ received?: boolean; writtenOff?: boolean; adjustments?: Adjustment[] }>(
        'POST',
        setup.route,
        { location: values.location, reference, ...(reason ? { reason } : {}), lines },
      );
      if (counting) {
        setOutcome({
          kind: 'done',
          message: t('stock.countRecorded', { reference }),
          adjustments: answer.adjustments ?? [],
        });
      } else if (answer.received === false || answer.writtenOff === false) {
        setOutcome({
          kind: 'same',
          message: t(kind === 'receipt' ? 'stock.receivedBefore' : 'stock.writtenOffBefore', { reference }),
        });
      } else {
        setOutcome({
          kind: 'done',
          message: t(kind === 'receipt' ? 'stock.received' : 'stock.writtenOff', { reference }),
        });
      }
      if (answer.received !== false && answer.writtenOff !== false) {
        form.setFieldsValue({
          reference: newReference(setup.prefix),
          reason: undefined,
          lines: [{}] as Values['lines'],
        });
      }
    } catch (err) {
      setOutcome({ kind: 'error', message: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small">
      <Typography.Paragraph type="secondary">{t(`stock.${setup.help}`)}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ reference: newReference(setup.prefix), lines: [{}] }}
        onFinish={(values) => void submit(values)}
      >
        <Space wrap size="large" align="start">
          <Form.Item
            name="location"
            label={t('stock.location')}
            rules={[{ required: true, message: t('stock.chooseLocation') }]}
          >
            <LocationSelect locations={locations} placeholder={t('stock.chooseLocation')} />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t('stock.reference')}
            tooltip={t('stock.referenceHelp')}
            rules={[{ required: true, whitespace: true, message: t('stock.required') }]}
          >
            <Input style={{ width: 240 }} maxLength={100} />
          </Form.Item>
          {kind !== 'receipt' && (
            <Form.Item
              name="reason"
              label={counting ? t('stock.countReason') : t('stock.reason')}
              rules={counting ? [] : [{ required: true, whitespace: true, message: t('stock.required') }]}
            >
              <Input style={{ width: 320 }} maxLength={200} />
            </Form.Item>
          )}
        </Space>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('stock.lines')}
        </Typography.Title>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
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
                      aria-label={`${counting ? t('stock.counted') : t('stock.quantity')} ${i + 1}`}
                      placeholder={counting ? t('stock.counted') : t('stock.quantity')}
                      min={counting ? 0 : 1}
                      max={1_000_000}
                      precision={0}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  {!counting && (
                    <Form.Item name={[field.name, 'serials']} style={{ marginBottom: 0 }}>
                      <Input
                        aria-label={`${t('stock.serials')} ${i + 1}`}
                        placeholder={t('stock.serials')}
                        style={{ width: 320 }}
                      />
                    </Form.Item>
                  )}
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
        {outcome && (
          <Alert
            style={{ marginTop: 16 }}
            showIcon
            type={outcome.kind === 'done' ? 'success' : outcome.kind === 'same' ? 'info' : 'error'}
            message={outcome.message}
            description={
              outcome.kind === 'done' && outcome.adjustments ? (
                outcome.adjustments.length === 0 ? (
                  t('stock.noAdjustments')
                ) : (
                  <Table<Adjustment>
                    rowKey="sku"
                    size="small"
                    pagination={false}
                    dataSource={outcome.adjustments}
                    columns={[
                      { title: t('stock.sku'), dataIndex: 'sku' },
                      { title: t('stock.recorded'), dataIndex: 'recorded', align: 'right' },
                      { title: t('stock.counted'), dataIndex: 'counted', align: 'right' },
                      {
                        title: t('stock.delta'),
                        dataIndex: 'delta',
                        align: 'right',
                        render: (d: number) => (d > 0 ? `+${d}` : d),
                      },
                    ]}
                  />
                )
              ) : undefined
            }
          />
        )}
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          {t(`stock.${setup.submit}`)}
        </Button>
      </Form>
    </Card>
  );
}
