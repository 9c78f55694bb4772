/**
 * The customer: found among earlier orders (GET /api/orders?q= searches name, email and phone; the shop keeps no customer
 * register of its own), which fills name, email, phone and the last address, or typed in as a new one.
 */
import { useEffect, useState } from 'react';
import { AutoComplete, Col, Form, Input, Row, Select, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { time } from '../../format';
import type { OrderRow, OrderView } from '../../types';
import { requiredCustomerFields, type Draft, type Issues } from './model';

const SEARCH_DELAY_MS = 300;

export function CustomerFields({
  draft,
  issues,
  onCustomer,
  onLanguage,
  onFound,
}: {
  draft: Draft;
  issues: Issues;
  onCustomer: (customer: Draft['customer']) => void;
  onLanguage: (language: Draft['language']) => void;
  /** A customer picked from an earlier order: their details (and that order's address, if it was shipped). */
  onFound: (order: OrderView) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [found, setFound] = useState<OrderRow[]>([]);
  const [filledFrom, setFilledFrom] = useState<string>();
  const required = requiredCustomerFields(draft);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      api<{ orders: OrderRow[] }>('GET', `/orders${query({ q, limit: 50 })}`).then(
        ({ orders }) => {
          if (!live) return;
          // Newest first: keep each customer's latest order.
          const seen = new Set<string>();
          const latest = orders.filter(
            (o) => o.customerName !== null && !seen.has(o.customerName) && seen.add(o.customerName),
          );
          setFound(latest.slice(0, 8));
        },
        () => live && setFound([]),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text]);

  const pick = async (orderNumber: string) => {
    const order = await api<OrderView>('GET', `/orders/${encodeURIComponent(orderNumber)}`);
    onFound(order);
    setFilledFrom(orderNumber);
    setText('');
  };

  const field = (key: keyof Draft['customer'], type = 'text') => (
    <Form.Item
      label={t(`newOrder.${key}`)}
      htmlFor={`new-order-${key}`}
      required={required.has(key)}
      validateStatus={issues[`customer.${key}`] ? 'error' : undefined}
      help={issues[`customer.${key}`]}
    >
      <Input
        id={`new-order-${key}`}
        type={type}
        maxLength={key === 'email' ? 254 : key === 'phone' ? 40 : 200}
        placeholder={key === 'phone' ? '+86 138 0013 8000' : undefined}
        value={draft.customer[key]}
        onChange={(e) => onCustomer({ ...draft.customer, [key]: e.target.value })}
      />
    </Form.Item>
  );

  return (
    <>
      <Form.Item
        label={t('newOrder.findCustomer')}
        htmlFor="new-order-find-customer"
        help={filledFrom ? t('newOrder.filledFrom', { orderNumber: filledFrom }) : t('newOrder.findCustomerHelp')}
      >
        <AutoComplete
          id="new-order-find-customer"
          value={text}
          onChange={setText}
          onSelect={(orderNumber: string) => void pick(orderNumber)}
          options={found.map((o) => ({
            value: o.orderNumber,
            label: (
              <span>
                {o.customerName}{' '}
                <Typography.Text type="secondary">
                  {t('newOrder.lastOrder', { orderNumber: o.orderNumber, date: time(o.createdAt).slice(0, 10) })}
                </Typography.Text>
              </span>
            ),
          }))}
          style={{ maxWidth: 420 }}
        >
          <Input prefix={<SearchOutlined />} placeholder={t('newOrder.findCustomerPlaceholder')} />
        </AutoComplete>
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          {field('name')}
        </Col>
        <Col xs={24} md={8}>
          {field('email', 'email')}
        </Col>
        <Col xs={24} md={8}>
          {field('phone', 'tel')}
        </Col>
      </Row>
      <Form.Item label={t('newOrder.language')} htmlFor="new-order-language">
        <Select
          id="new-order-language"
          style={{ width: 220 }}
          value={draft.language ?? ''}
          onChange={(value: string) => onLanguage(value === 'en' || value === 'zh-CN' ? value : undefined)}
          options={[
            { value: '', label: t('newOrder.languageShop') },
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
        />
      </Form.Item>
    </>
  );
}
