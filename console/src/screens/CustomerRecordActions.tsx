/**
 * What a manager does with a whole customer record: merge another record of the same person into it
 * (POST /api/customers/:id/merge), download everything held about them (GET …/export), or erase their personal data
 * on request (POST …/erase). Each is recorded on the customer by the API.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { useDialogSubmit } from './dialogSubmit';

interface Found {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
}

export function CustomerRecordActions({
  customerId,
  customerName,
  mayMerge,
  mayHandleData,
  onChanged,
}: {
  customerId: number;
  customerName: string;
  mayMerge: boolean;
  mayHandleData: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'merge' | 'erase'>();
  const done = () => {
    setDialog(undefined);
    onChanged();
  };
  if (!mayMerge && !mayHandleData) return null;
  return (
    <Space wrap>
      {mayMerge && <Button onClick={() => setDialog('merge')}>{t('customerRecord.merge')}</Button>}
      {mayHandleData && (
        <>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/customers/${customerId}/export`}
            download={`customer-${customerId}.json`}
          >
            {t('customerRecord.export')}
          </Button>
          <Button danger onClick={() => setDialog('erase')}>
            {t('customerRecord.erase')}
          </Button>
        </>
      )}
      {dialog === 'merge' && <MergeDialog customerId={customerId} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog === 'erase' && (
        <EraseDialog
          customerId={customerId}
          customerName={customerName}
          onClose={() => setDialog(undefined)}
          onDone={done}
        />
      )}
    </Space>
  );
}

function MergeDialog({ customerId, onClose, onDone }: { customerId: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Found[]>([]);
  const [from, setFrom] = useState<number>();
  const { busy, error, run } = useDialogSubmit();

  useEffect(() => {
    if (q.trim().length < 2) return;
    let current = true;
    const timer = window.setTimeout(() => {
      void api<{ customers: Found[] }>('GET', `/customers${query({ q: q.trim() })}`)
        .then((r) => current && setOptions(r.customers.filter((c) => c.id !== customerId)))
        .catch(() => current && setOptions([]));
    }, 300);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [q, customerId]);

  const submit = async () => {
    if (!from) return;
    await run(async () => {
      await api('POST', `/customers/${customerId}/merge`, { from });
      void message.success(t('customerRecord.merged'));
      onDone();
    });
  };

  return (
    <Modal
      open
      title={t('customerRecord.merge')}
      okText={t('customerRecord.mergeOk')}
      cancelText={t('customerRecord.cancel')}
      okButtonProps={{ loading: busy, disabled: !from }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('customerRecord.mergeHelp')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Select<number>
        showSearch={{ filterOption: false, onSearch: setQ }}
        style={{ width: '100%' }}
        placeholder={t('customerRecord.mergeSearch')}
        aria-label={t('customerRecord.mergeSearch')}
        value={from}
        onChange={setFrom}
        notFoundContent={null}
        options={options.map((c) => ({
          value: c.id,
          label: `${c.name} · ${c.mobile ?? c.email ?? `#${c.id}`}`,
        }))}
      />
    </Modal>
  );
}

function EraseDialog({
  customerId,
  customerName,
  onClose,
  onDone,
}: {
  customerId: number;
  customerName: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, run } = useDialogSubmit(form);

  const submit = async () => {
    const { reason } = await form.validateFields();
    await run(async () => {
      await api('POST', `/customers/${customerId}/erase`, { reason: reason.trim() });
      void message.success(t('customerRecord.erased'));
      onDone();
    });
  };

  return (
    <Modal
      open
      title={t('customerRecord.eraseTitle', { name: customerName })}
      okText={t('customerRecord.eraseOk')}
      okButtonProps={{ danger: true, loading: busy }}
      cancelText={t('customerRecord.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('customerRecord.eraseWarning')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('customerRecord.eraseReason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
