/**
 * A campaign segment (GET /api/customers/segment and /segment.csv): a manager picks consenting customers by tier,
 * last purchase, a category or SKU bought and spend, sees how many and who, and downloads them for an SMS or WeChat
 * campaign tool. Customers who said no to marketing are never in it.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { query } from '../api';
import { errorText } from '../errors';
import { money, time } from '../format';
import { Link } from '../Link';
import { useApi } from '../useApi';

interface Segment {
  count: number;
  customers: {
    id: number;
    name: string;
    mobile: string | null;
    tier: string;
    lastPurchaseAt: string | null;
    spendMinor: number;
  }[];
  tiers: { code: string; name: string }[];
}

interface Criteria {
  tiers?: string[];
  lastPurchaseFrom?: string;
  lastPurchaseTo?: string;
  category?: string;
  sku?: string;
  minSpendYuan?: number | null;
}

/** The criteria as the API's query: empty fields left out, yuan as fen. */
function segmentQuery(c: Criteria): string {
  return query({
    tiers: c.tiers?.length ? c.tiers.join(',') : undefined,
    lastPurchaseFrom: c.lastPurchaseFrom || undefined,
    lastPurchaseTo: c.lastPurchaseTo || undefined,
    category: c.category?.trim() || undefined,
    sku: c.sku?.trim() || undefined,
    minSpendMinor: typeof c.minSpendYuan === 'number' ? String(Math.round(c.minSpendYuan * 100)) : undefined,
  });
}

export function CustomerSegment() {
  const { t } = useTranslation();
  const [criteria, setCriteria] = useState<Criteria>({});
  const q = segmentQuery(criteria);
  const answer = useApi<Segment>(`/customers/segment${q}`);

  return (
    <Card size="small" title={t('segment.title')}>
      <Typography.Paragraph type="secondary">{t('segment.intro')}</Typography.Paragraph>
      <Form<Criteria> layout="inline" onFinish={setCriteria} style={{ rowGap: 8 }}>
        <Form.Item name="tiers" label={t('segment.tiers')}>
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 160 }}
            aria-label={t('segment.tiers')}
            options={(answer.data?.tiers ?? []).map((tier) => ({ value: tier.code, label: tier.name }))}
          />
        </Form.Item>
        <Form.Item name="lastPurchaseFrom" label={t('segment.from')}>
          <Input type="date" aria-label={t('segment.from')} />
        </Form.Item>
        <Form.Item name="lastPurchaseTo" label={t('segment.to')}>
          <Input type="date" aria-label={t('segment.to')} />
        </Form.Item>
        <Form.Item name="category" label={t('segment.category')}>
          <Input style={{ width: 120 }} maxLength={100} />
        </Form.Item>
        <Form.Item name="sku" label={t('segment.sku')}>
          <Input style={{ width: 140 }} maxLength={64} />
        </Form.Item>
        <Form.Item name="minSpendYuan" label={t('segment.minSpend')}>
          <InputNumber min={0} precision={2} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('segment.apply')}
          </Button>
        </Form.Item>
      </Form>
      {answer.error ? (
        <Alert type="error" showIcon title={errorText(answer.error, t)} style={{ marginTop: 12 }} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Space>
            <Typography.Text strong>{t('segment.count', { count: answer.data?.count ?? 0 })}</Typography.Text>
            <Button
              icon={<DownloadOutlined />}
              href={`/api/customers/segment.csv${q}`}
              download="segment.csv"
              disabled={!answer.data?.count}
            >
              {t('segment.download')}
            </Button>
          </Space>
          <Table
            rowKey="id"
            size="small"
            loading={answer.loading}
            dataSource={answer.data?.customers ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              {
                title: t('customers.name'),
                dataIndex: 'name',
                render: (name: string, c) => <Link to={`/customers/${c.id}`}>{name}</Link>,
              },
              { title: t('customers.mobile'), dataIndex: 'mobile', render: (m: string | null) => m ?? '—' },
              { title: t('segment.tier'), dataIndex: 'tier' },
              {
                title: t('customers.lastPurchase'),
                dataIndex: 'lastPurchaseAt',
                render: (at: string | null) => time(at).slice(0, 10) || '—',
              },
              {
                title: t('segment.spend'),
                dataIndex: 'spendMinor',
                align: 'right',
                render: (m: number) => money(m, 'CNY'),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
