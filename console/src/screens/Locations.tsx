/** The shop's stores and warehouses (GET /api/locations, by priority), and a new one (POST) where the role may. */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { time } from '../format';
import type { SignedIn } from '../types';
import { useApi } from '../useApi';
import { fieldIssues, showFieldIssues } from './fieldErrors';
import { send, type BodyOf } from '../typed-api';

interface Location {
  id: number;
  code: string;
  name: string;
  kind: 'STORE' | 'WAREHOUSE';
  priority: number;
  ships: boolean;
  pickup: boolean;
  createdAt: string;
}

type Values = Partial<Omit<Location, 'id' | 'createdAt'>>;

function LocationForm({ onClose, onCreated }: { onClose: () => void; onCreated: (code: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const required = [{ required: true, whitespace: true, message: t('locations.required') }];

  const submit = async () => {
    const values = await form.validateFields();
    const body = { ...values, code: values.code?.trim(), name: values.name?.trim() };
    setBusy(true);
    setError(undefined);
    try {
      // As typed: what is missing or wrong comes back as the API's 422, shown next to its field.
      await send('post', '/locations', {}, body as BodyOf<'/locations', 'post'>);
      onCreated(body.code ?? '');
    } catch (err) {
      const leftOver = showFieldIssues(form, err);
      if (fieldIssues(err).length === 0) setError(errorText(err, t));
      else setError(leftOver.length ? leftOver.map((i) => i.message).join('; ') : t('locations.fixFields'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('locations.create')}
      okText={t('locations.save')}
      cancelText={t('locations.close')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: 'STORE', priority: 100, ships: true, pickup: false }}
      >
        <Form.Item name="code" label={t('locations.code')} rules={required}>
          <Input maxLength={64} autoFocus />
        </Form.Item>
        <Form.Item name="name" label={t('locations.name')} rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={t('locations.kind')}>
          <Select
            options={[
              { value: 'STORE', label: t('locations.STORE') },
              { value: 'WAREHOUSE', label: t('locations.WAREHOUSE') },
            ]}
          />
        </Form.Item>
        <Form.Item name="priority" label={t('locations.priority')} extra={t('locations.priorityHelp')}>
          <InputNumber<number> precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Space size="large">
          <Form.Item name="ships" valuePropName="checked">
            <Checkbox>{t('locations.ships')}</Checkbox>
          </Form.Item>
          <Form.Item name="pickup" valuePropName="checked">
            <Checkbox>{t('locations.pickup')}</Checkbox>
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export function Locations({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locations = useApi<{ locations: Location[] }>('/locations');
  const [creating, setCreating] = useState(false);
  const yesNo = (value: boolean) => (value ? t('locations.yes') : t('locations.no'));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('locations.title')}
        </Typography.Title>
        {me.permissions.includes('catalogue.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('locations.create')}
          </Button>
        )}
      </Space>
      {locations.error !== undefined && <Alert type="error" showIcon message={errorText(locations.error, t)} />}
      <Table<Location>
        rowKey="id"
        loading={locations.loading}
        dataSource={locations.data?.locations ?? []}
        pagination={false}
        locale={{ emptyText: t('locations.none') }}
        columns={[
          { title: t('locations.code'), dataIndex: 'code', render: (code: string) => <strong>{code}</strong> },
          { title: t('locations.name'), dataIndex: 'name' },
          {
            title: t('locations.kind'),
            dataIndex: 'kind',
            render: (kind: string) => (
              <Tag color={kind === 'WAREHOUSE' ? 'blue' : 'green'}>
                {t(`locations.${kind}`, { defaultValue: kind })}
              </Tag>
            ),
          },
          { title: t('locations.priority'), dataIndex: 'priority', align: 'right' },
          { title: t('locations.ships'), dataIndex: 'ships', render: yesNo },
          { title: t('locations.pickup'), dataIndex: 'pickup', render: yesNo },
          { title: t('locations.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
      {creating && (
        <LocationForm
          onClose={() => setCreating(false)}
          onCreated={(code) => {
            setCreating(false);
            void message.success(t('locations.created1', { code }));
            locations.reload();
          }}
        />
      )}
    </Space>
  );
}
