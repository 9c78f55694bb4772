/** API keys (GET/POST/DELETE /api/admin/keys): a new key is shown once, with a copy button; revoking asks first. */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../errors';
import { time } from '../../format';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';
import { fieldIssues, showFieldIssues } from '../fieldErrors';
import { api } from '../../api';
import { send } from '../../typed-api';
import { confirmRevoke } from './confirmRevoke';

export const ROLES = ['clerk', 'warehouse', 'manager', 'admin'] as const;

interface ApiKey {
  id: number;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** The key just made: this is the only time anyone sees it. */
function NewKey({ created, onClose }: { created: ApiKey & { key: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      open
      title={t('staff.newKeyTitle', { name: created.name, role: t(`staff.roles.${created.role}`) })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('staff.close')}</Button>}
      maskClosable={false}
    >
      <Alert type="warning" showIcon message={t('staff.shownOnce')} style={{ marginBottom: 16 }} />
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={created.key} data-testid="new-key" onFocus={(e) => e.target.select()} />
        <Button
          icon={<CopyOutlined />}
          onClick={() =>
            void copyText(created.key).then(
              () => setCopied(true),
              () => undefined,
            )
          }
        >
          {copied ? t('staff.copied') : t('staff.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}

function KeyForm({ onClose, onCreated }: { onClose: () => void; onCreated: (key: ApiKey & { key: string }) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name?: string; role?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(
        await api<ApiKey & { key: string }>('POST', '/admin/keys', { name: values.name?.trim(), role: values.role }),
      );
    } catch (err) {
      const leftOver = showFieldIssues(form, err);
      if (fieldIssues(err).length === 0) setError(errorText(err, t));
      else setError(leftOver.length ? leftOver.map((i) => i.message).join('; ') : t('staff.fixFields'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('staff.createTitle')}
      okText={t('staff.save')}
      cancelText={t('staff.close')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ role: 'clerk' }}>
        <Form.Item
          name="name"
          label={t('staff.name')}
          extra={t('staff.nameHelp')}
          rules={[{ required: true, whitespace: true, message: t('staff.required') }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="role" label={t('staff.role')}>
          <Select options={ROLES.map((role) => ({ value: role, label: t(`staff.roles.${role}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function Keys({ me, onChanged }: { me: SignedIn; onChanged: () => void }) {
  const { t } = useTranslation();
  const app = App.useApp();
  const keys = useApi<{ keys: ApiKey[] }>('/admin/keys');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKey & { key: string }>();
  const [error, setError] = useState<string>();

  const revoke = (key: ApiKey) =>
    confirmRevoke(
      app,
      t,
      { title: t('staff.revokeKey', { name: key.name }), done: t('staff.revokedKey', { name: key.name }) },
      () => send('delete', '/admin/keys/{id}', { id: String(key.id) }, undefined),
      {
        onError: setError,
        reload: () => {
          keys.reload();
          onChanged();
        },
      },
    );

  return (
    <Card
      title={t('staff.keys')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('staff.create')}
        </Button>
      }
    >
      {keys.error !== undefined && <Alert type="error" showIcon message={errorText(keys.error, t)} />}
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      <Table<ApiKey>
        rowKey="id"
        size="small"
        loading={keys.loading}
        dataSource={keys.data?.keys ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('staff.name'),
            dataIndex: 'name',
            render: (name: string, key) => (
              <Space>
                <strong>{name}</strong>
                {key.id === me.keyId && <Tag>{t('staff.you')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('staff.role'),
            dataIndex: 'role',
            render: (role: string) => t(`staff.roles.${role}`, { defaultValue: role }),
          },
          {
            title: t('staff.prefix'),
            dataIndex: 'prefix',
            render: (p: string) => <Typography.Text code>{p}</Typography.Text>,
          },
          { title: t('staff.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          {
            title: t('staff.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (at: string | null) => (at ? time(at) : t('staff.never')),
          },
          {
            title: t('staff.state'),
            dataIndex: 'revokedAt',
            render: (at: string | null) =>
              at ? (
                <Tag color="red">{`${t('staff.revoked')} ${time(at)}`}</Tag>
              ) : (
                <Tag color="green">{t('staff.active')}</Tag>
              ),
          },
          {
            key: 'revoke',
            render: (_: unknown, key) =>
              !key.revokedAt &&
              key.id !== me.keyId && (
                <Button size="small" danger onClick={() => void revoke(key)}>
                  {t('staff.revoke')}
                </Button>
              ),
          },
        ]}
      />
      {creating && (
        <KeyForm
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
      {created && <NewKey created={created} onClose={() => setCreated(undefined)} />}
    </Card>
  );
}
