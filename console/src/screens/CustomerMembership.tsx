/**
 * A customer's membership on their profile (GET /api/customers/:id `membership` and `points`): the tier with its
 * benefits and the next one, the points balance and what it is worth, the points history, and for a manager a
 * hand adjustment (POST /api/customers/:id/points).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useDialogSubmit } from './dialogSubmit';
import { money, time } from '../format';
import { Link } from '../Link';

export interface Membership {
  tier: { code: string; name: string; discountPercent: number; express: boolean; backorderPriority: number };
  tierSince: string | null;
  nextTier: { code: string; name: string; fromMinor: number } | null;
  pointsBalance: number;
  pointValueMinor: number;
}

export interface PointsMovement {
  id: number;
  kind: string;
  points: number;
  balanceAfter: number;
  orderNumber: string | null;
  reason: string | null;
  actor: string;
  at: string;
}

export function MembershipCard({
  customerId,
  membership,
  points,
  currency,
  mayAdjust,
  onChanged,
}: {
  customerId: number;
  membership: Membership;
  points: PointsMovement[];
  currency: string;
  mayAdjust: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [adjusting, setAdjusting] = useState(false);
  const { tier, nextTier } = membership;
  const benefits = [
    tier.discountPercent > 0 && t('membership.discount', { percent: tier.discountPercent }),
    tier.express && t('membership.express'),
    tier.backorderPriority > 0 && t('membership.priority'),
  ].filter((b): b is string => Boolean(b));

  return (
    <Card
      size="small"
      title={t('membership.title')}
      extra={mayAdjust && <Button onClick={() => setAdjusting(true)}>{t('membership.adjust')}</Button>}
    >
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
        <Descriptions.Item label={t('membership.tier')}>
          <Space orientation="vertical" size={0}>
            <span>
              <Tag color={tier.backorderPriority > 0 || tier.express ? 'gold' : undefined}>{tier.name}</Tag>
              {membership.tierSince && t('membership.since', { date: time(membership.tierSince).slice(0, 10) })}
            </span>
            <span>
              {nextTier
                ? t('membership.next', { name: nextTier.name, amount: money(nextTier.fromMinor, currency) })
                : t('membership.top')}
            </span>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('membership.points')}>
          <strong>{membership.pointsBalance.toLocaleString()}</strong>&nbsp;
          {t('membership.worth', { amount: money(membership.pointsBalance * membership.pointValueMinor, currency) })}
        </Descriptions.Item>
        <Descriptions.Item label={t('membership.benefits')}>
          {benefits.length ? benefits.join(' · ') : t('membership.noBenefits')}
        </Descriptions.Item>
      </Descriptions>
      <Table<PointsMovement>
        rowKey="id"
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={points}
        locale={{ emptyText: t('membership.noMovements') }}
        title={() => t('membership.ledger')}
        columns={[
          {
            title: t('membership.kind'),
            dataIndex: 'kind',
            render: (k: string) => t(`membership.movement.${k}`, { defaultValue: k }),
          },
          {
            title: t('membership.change'),
            dataIndex: 'points',
            align: 'right',
            render: (p: number) => <span style={{ color: p < 0 ? '#cf1322' : '#389e0d' }}>{p > 0 ? `+${p}` : p}</span>,
          },
          { title: t('membership.balance'), dataIndex: 'balanceAfter', align: 'right' },
          {
            title: t('membership.order'),
            dataIndex: 'orderNumber',
            render: (n: string | null) => (n ? <Link to={`/orders/${encodeURIComponent(n)}`}>{n}</Link> : '—'),
          },
          { title: t('membership.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
          { title: t('membership.at'), dataIndex: 'at', render: (at: string) => time(at) },
        ]}
      />
      {adjusting && (
        <AdjustPoints
          customerId={customerId}
          onClose={() => setAdjusting(false)}
          onSaved={() => {
            setAdjusting(false);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function AdjustPoints({
  customerId,
  onClose,
  onSaved,
}: {
  customerId: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const { busy, error, run } = useDialogSubmit(form);
  // One id per dialog: pressing Save twice, or again after a lost answer, adjusts once.
  const [adjustmentId] = useState(() => crypto.randomUUID());

  const submit = async () => {
    const values = await form.validateFields();
    await run(async () => {
      await api('POST', `/customers/${customerId}/points`, {
        points: values.points,
        reason: values.reason.trim(),
        adjustmentId,
      });
      void message.success(t('membership.adjusted'));
      onSaved();
    });
  };

  return (
    <Modal
      open
      title={t('membership.adjust')}
      okText={t('membership.save')}
      cancelText={t('membership.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="points"
          label={t('membership.adjustPoints')}
          rules={[{ required: true }, { type: 'integer', message: t('membership.adjustPoints') }]}
        >
          <InputNumber style={{ width: 200 }} precision={0} />
        </Form.Item>
        <Form.Item name="reason" label={t('membership.adjustReason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
