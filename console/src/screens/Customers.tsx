/**
 * Customers (GET /api/customers?q=, GET and PATCH /api/customers/:id): the register searched by name, mobile or
 * email (phones and emails masked in the list), and one customer's profile with their figures, orders and returns.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { errorText } from '../errors';
import { useDialogSubmit } from './dialogSubmit';
import { money, time } from '../format';
import { StatusTag } from '../Labels';
import { Link } from '../Link';
import { navigate } from '../router';
import { useApi } from '../useApi';
import type { OrderStatus, SignedIn } from '../types';
import { MembershipCard, type Membership, type PointsMovement } from './CustomerMembership';
import { CustomerRecordActions } from './CustomerRecordActions';
import { CustomerSegment } from './CustomerSegment';

const SEARCH_DELAY_MS = 300;

interface CustomerRecord {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  otherPhone: string | null;
  tags: string[] | null;
  marketingConsent: boolean;
  birthday?: string | null;
  notes?: string | null;
  mergedIntoId?: number | null;
  erasedAt?: string | null;
  createdAt: string;
  orderCount?: number;
}

interface CustomerHistory {
  customer: CustomerRecord;
  stats: {
    orderCount: number;
    lifetimeSpendMinor: number;
    averageOrderMinor: number;
    firstPurchaseAt: string | null;
    lastPurchaseAt: string | null;
  };
  orders: {
    orderNumber: string;
    channel: string;
    status: OrderStatus;
    totalMinor: number;
    refundedMinor: number;
    currency: string;
    createdAt: string;
  }[];
  returns: { returnNumber: string; orderNumber: string; kind: string; status: string; reasonCode: string }[];
  addresses: { id: number; address: Record<string, string>; lastUsedAt: string }[];
  feedback: { id: number; kind: string; text: string; orderNumber: string | null; actor: string; createdAt: string }[];
  events: { id: number; action: string; actor: string; at: string; details: Record<string, unknown> | null }[];
  membership: Membership;
  points: PointsMovement[];
}

const addressLine = (a: Record<string, string>) =>
  ['line1', 'line2', 'city', 'region', 'postalCode', 'country']
    .map((k) => a[k])
    .filter(Boolean)
    .join(', ');

export function customersScreen(path: string, _params: URLSearchParams, me: SignedIn) {
  if (path === '/customers') return <CustomerList maySegment={me.permissions.includes('customers.segment')} />;
  const id = /^\/customers\/(\d+)$/.exec(path)?.[1];
  return id ? (
    <CustomerProfile
      id={Number(id)}
      mayEdit={me.permissions.includes('customers.edit')}
      mayAdjustPoints={me.permissions.includes('customers.points')}
      mayMerge={me.permissions.includes('customers.merge')}
      mayHandleData={me.permissions.includes('customers.privacy')}
    />
  ) : null;
}

function CustomerList({ maySegment }: { maySegment: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text]);
  const list = useApi<{ customers: CustomerRecord[] }>(`/customers${query({ q: q || undefined })}`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('customers.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('customers.intro')}</Typography.Paragraph>
      <Input
        aria-label={t('customers.search')}
        placeholder={t('customers.search')}
        prefix={<SearchOutlined />}
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        style={{ maxWidth: 420 }}
      />
      {list.error ? (
        <Alert type="error" showIcon title={errorText(list.error, t)} />
      ) : (
        <Table<CustomerRecord>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.customers ?? []}
          locale={{ emptyText: t('customers.empty') }}
          pagination={false}
          onRow={(c) => ({ onClick: () => navigate(`/customers/${c.id}`), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('customers.name'),
              dataIndex: 'name',
              render: (name: string, c) => <Link to={`/customers/${c.id}`}>{name}</Link>,
            },
            { title: t('customers.mobile'), render: (_, c) => c.mobile ?? c.otherPhone ?? '—' },
            { title: t('customers.email'), dataIndex: 'email', render: (email: string | null) => email ?? '—' },
            { title: t('customers.orders'), dataIndex: 'orderCount', align: 'right' },
            { title: t('customers.tags'), render: (_, c) => <Tags tags={c.tags} /> },
            { title: t('customers.since'), dataIndex: 'createdAt', render: (at: string) => time(at).slice(0, 10) },
          ]}
        />
      )}
      {maySegment && <CustomerSegment />}
    </Space>
  );
}

const Tags = ({ tags }: { tags: string[] | null }) => (
  <>
    {(tags ?? []).map((tag) => (
      <Tag key={tag}>{tag}</Tag>
    ))}
  </>
);

interface ProfileRights {
  id: number;
  mayEdit: boolean;
  mayAdjustPoints: boolean;
  mayMerge: boolean;
  mayHandleData: boolean;
}

function CustomerProfile({ id, mayEdit, mayAdjustPoints, mayMerge, mayHandleData }: ProfileRights) {
  const { t } = useTranslation();
  const answer = useApi<CustomerHistory>(`/customers/${id}`);
  const [editing, setEditing] = useState(false);
  const [addingFeedback, setAddingFeedback] = useState(false);
  if (answer.error) return <Alert type="error" showIcon title={errorText(answer.error, t)} />;
  if (!answer.data) return <Spin />;
  const { customer, stats, orders, returns, addresses, feedback, events, membership, points } = answer.data;
  const currency = orders[0]?.currency ?? 'CNY';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/customers">← {t('customers.back')}</Link>
      <Typography.Title level={2}>{customer.name}</Typography.Title>
      {customer.erasedAt && <Alert type="warning" showIcon title={t('customerRecord.erasedNotice')} />}
      {!customer.mergedIntoId && !customer.erasedAt && (
        <CustomerRecordActions
          customerId={customer.id}
          customerName={customer.name}
          mayMerge={mayMerge}
          mayHandleData={mayHandleData}
          onChanged={answer.reload}
        />
      )}
      {customer.mergedIntoId && (
        <Alert
          type="info"
          showIcon
          title={t('customers.mergedInto')}
          action={<Link to={`/customers/${customer.mergedIntoId}`}>{t('customers.openMerged')}</Link>}
        />
      )}
      <Card
        size="small"
        title={t('customers.profile')}
        extra={mayEdit && !customer.erasedAt && <Button onClick={() => setEditing(true)}>{t('customers.edit')}</Button>}
      >
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('customers.mobile')}>{customer.mobile ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.email')}>{customer.email ?? '—'}</Descriptions.Item>
          {customer.otherPhone && (
            <Descriptions.Item label={t('customers.otherPhone')}>{customer.otherPhone}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('customers.birthday')}>{customer.birthday ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.consent')}>
            {customer.marketingConsent ? t('customers.consentYes') : t('customers.consentNo')}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.tags')}>
            <Tags tags={customer.tags} />
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.notes')}>{customer.notes ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small">
        <Space size="large" wrap>
          <Statistic title={t('customers.orderCount')} value={stats.orderCount} />
          <Statistic title={t('customers.lifetimeSpend')} value={money(stats.lifetimeSpendMinor, currency)} />
          <Statistic title={t('customers.averageOrder')} value={money(stats.averageOrderMinor, currency)} />
          <Statistic title={t('customers.firstPurchase')} value={time(stats.firstPurchaseAt).slice(0, 10) || '—'} />
          <Statistic title={t('customers.lastPurchase')} value={time(stats.lastPurchaseAt).slice(0, 10) || '—'} />
        </Space>
      </Card>
      <MembershipCard
        customerId={customer.id}
        membership={membership}
        points={points}
        currency={currency}
        mayAdjust={mayAdjustPoints && !customer.mergedIntoId}
        onChanged={answer.reload}
      />
      <Card size="small" title={t('customers.history')}>
        <Table
          rowKey="orderNumber"
          size="small"
          pagination={false}
          dataSource={orders}
          columns={[
            {
              title: t('customers.order'),
              dataIndex: 'orderNumber',
              render: (n: string) => <Link to={`/orders/${encodeURIComponent(n)}`}>{n}</Link>,
            },
            { title: t('customers.channel'), dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
            { title: t('customers.status'), dataIndex: 'status', render: (s: OrderStatus) => <StatusTag status={s} /> },
            {
              title: t('customers.total'),
              align: 'right',
              render: (_, o) => money(o.totalMinor, o.currency),
            },
            {
              title: t('customers.refunded'),
              align: 'right',
              render: (_, o) => (o.refundedMinor ? money(o.refundedMinor, o.currency) : '—'),
            },
            { title: t('customers.placed'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          ]}
        />
      </Card>
      <Card size="small" title={t('customers.returns')}>
        <Table
          rowKey="returnNumber"
          size="small"
          pagination={false}
          dataSource={returns}
          locale={{ emptyText: t('customers.noReturns') }}
          columns={[
            {
              title: t('customers.returnNumber'),
              dataIndex: 'returnNumber',
              render: (n: string) => <Link to={`/returns/${encodeURIComponent(n)}`}>{n}</Link>,
            },
            { title: t('customers.order'), dataIndex: 'orderNumber' },
            {
              title: t('customers.kind'),
              dataIndex: 'kind',
              render: (k: string) => t(`returns.kind.${k}`, { defaultValue: k }),
            },
            {
              title: t('customers.reason'),
              dataIndex: 'reasonCode',
              render: (r: string) => t(`returns.reason.${r}`, { defaultValue: r }),
            },
            {
              title: t('customers.status'),
              dataIndex: 'status',
              render: (s: string) => t(`returns.status.${s}`, { defaultValue: s }),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('customers.addresses')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={addresses}
          locale={{ emptyText: t('customers.noAddresses') }}
          columns={[
            { title: t('customers.addresses'), render: (_, a) => addressLine(a.address) },
            { title: t('customers.lastUsed'), dataIndex: 'lastUsedAt', render: (at: string) => time(at) },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('customers.feedback')}
        extra={
          mayEdit &&
          !customer.mergedIntoId && (
            <Button onClick={() => setAddingFeedback(true)}>{t('customers.addFeedback')}</Button>
          )
        }
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={feedback}
          locale={{ emptyText: t('customers.noFeedback') }}
          columns={[
            {
              title: t('customers.kind'),
              dataIndex: 'kind',
              render: (k: string) => (
                <Tag color={k === 'COMPLAINT' ? 'red' : k === 'PRAISE' ? 'green' : undefined}>
                  {t(`customers.feedbackKind.${k}`, { defaultValue: k })}
                </Tag>
              ),
            },
            { title: t('customers.feedbackText'), dataIndex: 'text' },
            { title: t('customers.order'), dataIndex: 'orderNumber', render: (n: string | null) => n ?? '—' },
            { title: t('customers.by'), dataIndex: 'actor' },
            { title: t('customers.at'), dataIndex: 'createdAt', render: (at: string) => time(at) },
          ]}
        />
      </Card>
      {events.length > 0 && (
        <Card size="small" title={t('customers.changes')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={events}
            columns={[
              {
                title: t('customers.kind'),
                dataIndex: 'action',
                render: (a: string) => t(`customers.event.${a}`, { defaultValue: a }),
              },
              {
                title: t('customers.eventDetails'),
                dataIndex: 'details',
                render: (d: Record<string, unknown> | null, e) =>
                  e.action === 'TIER_CHANGED' && d
                    ? t('membership.tierChanged', { from: d.fromName ?? d.from, to: d.toName ?? d.to })
                    : '',
              },
              { title: t('customers.by'), dataIndex: 'actor' },
              { title: t('customers.at'), dataIndex: 'at', render: (at: string) => time(at) },
            ]}
          />
        </Card>
      )}
      {addingFeedback && (
        <AddFeedback
          customerId={customer.id}
          orderNumbers={orders.map((o) => o.orderNumber)}
          onClose={() => setAddingFeedback(false)}
          onSaved={() => {
            setAddingFeedback(false);
            answer.reload();
          }}
        />
      )}
      {editing && (
        <EditProfile
          customer={customer}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            answer.reload();
          }}
        />
      )}
    </Space>
  );
}

interface ProfileValues {
  name: string;
  birthday: string;
  marketingConsent: boolean;
  tags: string[];
  notes: string;
}

function EditProfile({
  customer,
  onClose,
  onSaved,
}: {
  customer: CustomerRecord;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProfileValues>();
  const { busy, error, run } = useDialogSubmit(form);

  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      await api('PATCH', `/customers/${customer.id}`, {
        name: values.name.trim(),
        birthday: values.birthday.trim() || null,
        marketingConsent: values.marketingConsent,
        tags: values.tags.map((tag) => tag.trim()).filter(Boolean),
        notes: values.notes.trim() || null,
      });
      void message.success(t('customers.saved'));
      onSaved();
    });
  };

  return (
    <Modal
      open
      title={t('customers.edit')}
      okText={t('customers.save')}
      cancelText={t('customers.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: customer.name,
          birthday: customer.birthday ?? '',
          marketingConsent: customer.marketingConsent,
          tags: customer.tags ?? [],
          notes: customer.notes ?? '',
        }}
      >
        <Form.Item name="name" label={t('customers.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="birthday"
          label={t('customers.birthday')}
          rules={[{ pattern: /^(\d{4}-\d{2}-\d{2})?$/, message: t('customers.badBirthday') }]}
        >
          <Input placeholder="1990-05-17" maxLength={10} />
        </Form.Item>
        <Form.Item name="marketingConsent" label={t('customers.consent')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="tags" label={t('customers.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} aria-label={t('customers.tags')} />
        </Form.Item>
        <Form.Item name="notes" label={t('customers.notes')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddFeedback({
  customerId,
  orderNumbers,
  onClose,
  onSaved,
}: {
  customerId: number;
  orderNumbers: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: string; text: string; orderNumber?: string }>();
  const { busy, error, run } = useDialogSubmit(form);

  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      await api('POST', `/customers/${customerId}/feedback`, {
        kind: values.kind,
        text: values.text.trim(),
        ...(values.orderNumber ? { orderNumber: values.orderNumber } : {}),
      });
      void message.success(t('customers.feedbackSaved'));
      onSaved();
    });
  };

  return (
    <Modal
      open
      title={t('customers.addFeedback')}
      okText={t('customers.save')}
      cancelText={t('customers.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'REMARK' }}>
        <Form.Item name="kind" label={t('customers.kind')}>
          <Select
            options={(['COMPLAINT', 'PRAISE', 'REMARK'] as const).map((k) => ({
              value: k,
              label: t(`customers.feedbackKind.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="text" label={t('customers.feedbackText')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="orderNumber" label={t('customers.feedbackOrder')}>
          <Select allowClear options={orderNumbers.map((n) => ({ value: n, label: n }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
