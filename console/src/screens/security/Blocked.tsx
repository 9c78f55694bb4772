/** The review's block list (GET/POST/DELETE /api/customers/blocked): read by clerks and managers, changed by managers. */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { useApi } from '../../useApi';
import { fieldIssues, showFieldIssues } from '../fieldErrors';
import { send } from '../../typed-api';

interface BlockedCustomer {
  id: number;
  kind: 'EMAIL' | 'PHONE';
  value: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

interface Values {
  by?: 'email' | 'phone';
  value?: string;
  reason?: string;
}

function BlockForm({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const by = Form.useWatch('by', form) ?? 'email';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const required = [{ required: true, whitespace: true, message: t('security.required') }];

  const submit = async () => {
    const values = await form.validateFields();
    const field = values.by ?? 'email';
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/customers/blocked', { [field]: values.value?.trim(), reason: values.reason?.trim() });
      onDone();
    } catch (err) {
      const leftOver = showFieldIssues(form, err, (path) =>
        path[0] === 'email' || path[0] === 'phone' ? ['value'] : path[0] === 'reason' ? ['reason'] : undefined,
      );
      if (fieldIssues(err).length === 0) setError(errorText(err, t));
      else setError(leftOver.length ? leftOver.map((i) => i.message).join('; ') : t('security.fixFields'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('security.blockTitle')}
      okText={t('security.save')}
      cancelText={t('security.close')}
      okButtonProps={{ loading: busy, danger: true }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ by: 'email' }}>
        <Form.Item name="by" label={t('security.blockKind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'email', label: t('security.email') },
              { value: 'phone', label: t('security.phone') },
            ]}
          />
        </Form.Item>
        <Form.Item name="value" label={by === 'email' ? t('security.email') : t('security.phone')} rules={required}>
          <Input maxLength={254} type={by === 'email' ? 'email' : 'tel'} />
        </Form.Item>
        <Form.Item name="reason" label={t('security.reason')} rules={required}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function Blocked({ mayChange }: { mayChange: boolean }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const blocked = useApi<{ blocked: BlockedCustomer[] }>('/customers/blocked');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string>();

  const unblock = (entry: BlockedCustomer) =>
    modal.confirm({
      title: t('security.unblockConfirm', { value: entry.value }),
      okText: t('security.unblockOk'),
      okButtonProps: { danger: true },
      cancelText: t('security.keep'),
      onOk: async () => {
        setError(undefined);
        try {
          await send('delete', '/customers/blocked/{id}', { id: String(entry.id) }, undefined);
        } catch (err) {
          setError(errorText(err, t));
        }
        blocked.reload();
      },
    });

  return (
    <Card
      title={t('security.blocked')}
      extra={
        mayChange && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('security.block')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('security.blockedHelp')}</Typography.Paragraph>
      {blocked.error !== undefined && <Alert type="error" showIcon message={errorText(blocked.error, t)} />}
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      <Table<BlockedCustomer>
        rowKey="id"
        size="small"
        loading={blocked.loading}
        dataSource={blocked.data?.blocked ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('security.noBlocked') }}
        columns={[
          {
            title: t('security.blockKind'),
            dataIndex: 'kind',
            render: (k: string) => <Tag>{t(`security.${k}`, { defaultValue: k })}</Tag>,
          },
          { title: t('security.value'), dataIndex: 'value' },
          { title: t('security.reason'), dataIndex: 'reason' },
          { title: t('security.createdBy'), dataIndex: 'createdBy' },
          { title: t('security.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          ...(mayChange
            ? [
                {
                  key: 'unblock',
                  render: (_: unknown, entry: BlockedCustomer) => (
                    <Button size="small" onClick={() => void unblock(entry)}>
                      {t('security.unblock')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {adding && (
        <BlockForm
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            blocked.reload();
          }}
        />
      )}
    </Card>
  );
}
