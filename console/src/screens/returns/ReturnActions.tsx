/** The steps of a return offered now: approve or reject it, receive it (each line restocked or written off), refund it. */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Popconfirm, Radio, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { money } from '../../format';
import type { OrderView, StaffAction } from '../../types';
import { LocationSelect, type ShopLocation } from '../stock/locations';
import { refundOf, type Condition, type ReturnLine, type ReturnRecord } from './model';

export function ReturnActions({
  request,
  order,
  offered,
  locations,
  onDone,
}: {
  request: ReturnRecord;
  order: OrderView;
  offered: StaffAction[];
  locations: ShopLocation[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  const [busy, setBusy] = useState(false);
  const path = `/returns/${encodeURIComponent(request.returnNumber)}`;

  const run = async (step: string, body: unknown): Promise<boolean> => {
    setError(undefined);
    setBusy(true);
    try {
      await api('POST', `${path}/${step}`, body);
      onDone();
      return true;
    } catch (err) {
      setError(errorText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const amount = money(refundOf(request.lines, order), order.currency);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      {offered.length === 0 && <Typography.Text type="secondary">{t('returns.nothingNow')}</Typography.Text>}
      {offered.includes('decideReturn') && (
        <Space wrap>
          <Button type="primary" onClick={() => setDeciding('approve')}>
            {t('returns.approve')}
          </Button>
          <Button danger onClick={() => setDeciding('reject')}>
            {t('returns.reject')}
          </Button>
        </Space>
      )}
      {offered.includes('receiveReturn') && (
        <ReceiveForm
          lines={request.lines}
          locations={locations}
          busy={busy}
          onSubmit={(body) => void run('receive', body)}
        />
      )}
      {offered.includes('refundReturn') && (
        <Popconfirm
          title={t('returns.refundConfirm', { amount })}
          okText={t('returns.confirm')}
          cancelText={t('returns.close')}
          onConfirm={() => void run('refund', {})}
        >
          <Button type="primary" loading={busy}>
            {t('returns.refundButton', { amount })}
          </Button>
        </Popconfirm>
      )}
      {request.kind === 'EXCHANGE' && request.status === 'APPROVED' && (
        <Typography.Text type="secondary">{t('returns.exchangeNote')}</Typography.Text>
      )}
      {deciding && (
        <DecisionDialog
          decision={deciding}
          onCancel={() => setDeciding(undefined)}
          onSubmit={async (text) => {
            const body = deciding === 'approve' ? (text ? { note: text } : {}) : { reason: text };
            if (await run(deciding, body)) setDeciding(undefined);
          }}
        />
      )}
    </Space>
  );
}

function DecisionDialog({
  decision,
  onCancel,
  onSubmit,
}: {
  decision: 'approve' | 'reject';
  onCancel: () => void;
  onSubmit: (text: string | undefined) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text?: string }>();
  const [busy, setBusy] = useState(false);
  const reject = decision === 'reject';
  const ok = async () => {
    const { text } = await form.validateFields();
    setBusy(true);
    await onSubmit(text?.trim() || undefined);
    setBusy(false);
  };
  return (
    <Modal
      open
      title={t(`returns.${decision}`)}
      okText={t('returns.confirm')}
      cancelText={t('returns.close')}
      okButtonProps={{ danger: reject, loading: busy }}
      onOk={() => void ok()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="text"
          label={reject ? t('returns.rejectReason') : t('returns.decisionNote')}
          rules={reject ? [{ required: true, whitespace: true, message: t('returns.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface Inspected {
  condition?: Condition;
  serials: string;
}

function ReceiveForm({
  lines,
  locations,
  busy,
  onSubmit,
}: {
  lines: ReturnLine[];
  locations: ShopLocation[];
  busy: boolean;
  onSubmit: (body: unknown) => void;
}) {
  const { t } = useTranslation();
  const [location, setLocation] = useState<string>();
  const [inspected, setInspected] = useState<Record<number, Inspected>>({});
  const of = (lineNo: number): Inspected => inspected[lineNo] ?? { serials: '' };
  const set = (lineNo: number, patch: Partial<Inspected>) =>
    setInspected((all) => ({ ...all, [lineNo]: { ...of(lineNo), ...patch } }));
  const ready = lines.every((l) => of(l.lineNo).condition);

  const submit = () =>
    onSubmit({
      ...(location ? { location } : {}),
      lines: lines.map((l) => {
        const serials = of(l.lineNo)
          .serials.split(/[\s,;]+/)
          .filter(Boolean);
        return { lineNo: l.lineNo, condition: of(l.lineNo).condition, ...(serials.length ? { serials } : {}) };
      }),
    });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('returns.receiveTitle')}
      </Typography.Title>
      <Space wrap>
        <Typography.Text>{t('returns.receiveAt')}</Typography.Text>
        <LocationSelect
          ariaLabel={t('returns.receiveAt')}
          allowClear
          locations={locations}
          value={location}
          onChange={setLocation}
          placeholder={t('returns.receiveAtDefault')}
        />
      </Space>
      <Table<ReturnLine>
        rowKey="lineNo"
        size="small"
        pagination={false}
        dataSource={lines}
        columns={[
          { title: t('returns.line'), dataIndex: 'lineNo', width: 48 },
          { title: t('returns.sku'), dataIndex: 'sku' },
          { title: t('returns.quantity'), dataIndex: 'quantity', align: 'right' },
          {
            title: t('returns.condition'),
            render: (_: unknown, l) => (
              <Radio.Group
                aria-label={`${t('returns.condition')} ${l.lineNo}`}
                value={of(l.lineNo).condition}
                onChange={(e) => set(l.lineNo, { condition: e.target.value as Condition })}
                options={(['RESTOCK', 'WRITE_OFF'] as const).map((c) => ({
                  value: c,
                  label: t(`returns.inspect.${c}`),
                }))}
              />
            ),
          },
          {
            title: t('returns.serials'),
            render: (_: unknown, l) => (
              <Input
                aria-label={t('returns.serialsOf', { lineNo: l.lineNo })}
                value={of(l.lineNo).serials}
                onChange={(e) => set(l.lineNo, { serials: e.target.value })}
              />
            ),
          },
        ]}
      />
      <Button type="primary" disabled={!ready} loading={busy} onClick={submit}>
        {t('returns.receive')}
      </Button>
    </Space>
  );
}
