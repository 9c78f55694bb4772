/**
 * New order: a sale by phone or in the store, sent as POST /api/orders (domain/order-input.ts). Lines by SKU or
 * barcode with live free stock per location, the customer (found from an earlier order or typed), delivery or pickup,
 * payment (part of it in points, when the customer found has some), coupons, and the price as the system will charge
 * it (POST /api/pricing/quote: the member's tier, the running promotions, the coupons), kept up to date as the clerk
 * types. One externalId per form: a double click or a resend is taken once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorText } from '../errors';
import { money } from '../format';
import { navigate } from '../router';
import { useApi } from '../useApi';
import type { OrderView } from '../types';
import { CustomerFields } from './new-order/CustomerFields';
import { DeliveryFields } from './new-order/DeliveryFields';
import { LinesEditor } from './new-order/LinesEditor';
import { ProductLookup } from './new-order/ProductLookup';
import { QuotePanel, type Quote } from './new-order/QuotePanel';
import {
  catalogueItems,
  checkDraft,
  couponCodesOf,
  EMPTY_ADDRESS,
  emptyDraft,
  isPickup,
  newExternalId,
  orderBody,
  redeemablePoints,
  refusalIssues,
  totalMinor,
  type CatalogueItem,
  type Draft,
  type Issues,
  type Location,
  type Member,
  type Product,
} from './new-order/model';

export function NewOrder() {
  const { t } = useTranslation();
  const [externalId] = useState(newExternalId);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [issues, setIssues] = useState<Issues>({});
  const [general, setGeneral] = useState<string>();
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const [items, setItems] = useState<CatalogueItem[]>();
  const [itemsError, setItemsError] = useState<unknown>();
  const [member, setMember] = useState<Member>();
  /** The customer found from an earlier order: the quote prices at their tier. */
  const [customerId, setCustomerId] = useState<number>();
  const [quote, setQuote] = useState<Quote>();
  const [quoteIssue, setQuoteIssue] = useState<string>();
  const locations = useApi<{ locations: Location[] }>('/locations');
  const stores = (locations.data?.locations ?? []).filter((l) => l.pickup);

  const loadItems = useCallback(async () => {
    const { products } = await api<{ products: Product[] }>('GET', '/products');
    const loaded = catalogueItems(products);
    setItems(loaded);
    return loaded;
  }, []);
  useEffect(() => {
    loadItems().catch(setItemsError);
  }, [loadItems]);

  // The first store that offers pickup, until the clerk picks another.
  const firstStore = stores[0]?.code;
  useEffect(() => {
    if (firstStore) setDraft((d) => (d.pickupStore ? d : { ...d, pickupStore: firstStore }));
  }, [firstStore]);

  /** Changes the draft; what the change touches no longer shows as wrong. */
  const change = (patch: Partial<Draft>, touched: string[]) => {
    setDraft((d) => ({ ...d, ...patch }));
    setIssues((current) =>
      Object.fromEntries(Object.entries(current).filter(([path]) => !touched.some((p) => path.startsWith(p)))),
    );
  };

  const addLine = (item: CatalogueItem) => {
    const at = draft.lines.findIndex((l) => l.sku === item.sku);
    const lines =
      at >= 0
        ? draft.lines.map((l, i) => (i === at ? { ...l, quantity: l.quantity + 1 } : l))
        : [...draft.lines, { sku: item.sku, quantity: 1 }];
    change({ lines }, ['lines']);
  };

  const found = (order: OrderView) => {
    const a = order.shippingAddress;
    setMember(undefined);
    setCustomerId(order.customerId ?? undefined);
    change({ pointsToRedeem: 0 }, ['pointsToRedeem']);
    // Their points, to pay with: from their profile (a clerk may read it), which knows what a point is worth.
    if (order.customerId && order.member && order.member.pointsBalance > 0) {
      const customerId = order.customerId;
      api<{ membership: { tier: { name: string }; pointsBalance: number; pointValueMinor: number } }>(
        'GET',
        `/customers/${customerId}`,
      ).then(
        ({ membership: m }) =>
          setMember({
            customerId,
            tierName: m.tier.name,
            pointsBalance: m.pointsBalance,
            pointValueMinor: m.pointValueMinor,
          }),
        () => setMember(undefined),
      );
    }
    change(
      {
        customer: {
          name: order.customerName ?? '',
          email: order.customerEmail ?? '',
          phone: order.customerPhone ?? '',
        },
        ...(a && !isPickup(draft) ? { address: { ...EMPTY_ADDRESS, ...a } } : {}),
      },
      ['customer', 'shippingAddress'],
    );
  };

  // The price as intake will charge it, asked again a moment after the basket, the customer or the coupons change.
  const couponKey = couponCodesOf(draft).join(',');
  const quoteStore = draft.channel === 'pos' ? draft.pickupStore : undefined;
  // A customer typed rather than found is matched by their phone or email, as intake will match them.
  const phone = draft.customer.phone.trim();
  const email = draft.customer.email.trim();
  const emailDone = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email);
  useEffect(() => {
    if (draft.lines.length === 0) {
      setQuote(undefined);
      setQuoteIssue(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api<Quote>('POST', '/pricing/quote', {
        channel: draft.channel,
        lines: draft.lines,
        ...(customerId
          ? { customerId }
          : phone || email
            ? { customer: { ...(phone ? { phone } : {}), ...(emailDone ? { email } : {}) } }
            : {}),
        ...(quoteStore ? { pickupStore: quoteStore } : {}),
        ...(couponKey ? { couponCodes: couponKey.split(',') } : {}),
      }).then(
        (q) => {
          if (!current) return;
          setQuote(q);
          setQuoteIssue(undefined);
        },
        (err: unknown) => {
          if (!current) return;
          setQuote(undefined);
          setQuoteIssue(errorText(err, t));
        },
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft.lines, draft.channel, quoteStore, customerId, phone, emailDone, email, couponKey, t]);

  const submit = async () => {
    if (sending.current) return;
    const local = checkDraft(draft, t);
    setIssues(local);
    setGeneral(undefined);
    if (Object.keys(local).length) return;
    sending.current = true;
    setBusy(true);
    try {
      // No more points than the basket as it is now can take (lines may have gone since they were typed).
      const points = member
        ? Math.min(
            draft.pointsToRedeem,
            redeemablePoints(member, quote?.totalMinor ?? totalMinor(draft.lines, items ?? [])),
          )
        : 0;
      const body = orderBody({ ...draft, pointsToRedeem: points }, externalId);
      const order = await api<{ orderNumber: string }>('POST', '/orders', body);
      navigate(`/orders/${encodeURIComponent(order.orderNumber)}`);
    } catch (err) {
      const refusal = refusalIssues(err, draft, t, (e) => errorText(e, t));
      setIssues(refusal.issues);
      setGeneral(refusal.general);
      sending.current = false;
      setBusy(false);
    }
  };

  if (!items || !locations.data) {
    const error = itemsError ?? locations.error;
    return error ? <Alert type="error" showIcon title={errorText(error, t)} /> : <Spin />;
  }
  const pickup = isPickup(draft);
  // The quote's total once it is there; the list price until then.
  const total = quote?.totalMinor ?? totalMinor(draft.lines, items);
  const maxPoints = member ? redeemablePoints(member, total) : 0;
  const pointsMinor = member ? Math.min(draft.pointsToRedeem, maxPoints) * member.pointValueMinor : 0;

  return (
    <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
      <Typography.Title level={2}>{t('newOrder.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('newOrder.intro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Form.Item label={t('newOrder.channel')} style={{ marginBottom: 0 }}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={draft.channel}
              onChange={(e) => change({ channel: e.target.value as Draft['channel'] }, ['pickupStore', 'shipping'])}
              options={[
                { value: 'phone', label: t('newOrder.channelPhone') },
                { value: 'pos', label: t('newOrder.channelPos') },
              ]}
            />
          </Form.Item>
        </Card>
        <Card size="small" title={t('newOrder.products')}>
          <ProductLookup items={items} reloadItems={loadItems} onAdd={addLine} error={issues.lines} />
          <LinesEditor
            lines={draft.lines}
            items={items}
            locations={locations.data.locations}
            pickupStore={pickup ? draft.pickupStore : undefined}
            issues={issues}
            onQuantity={(index, quantity) =>
              change({ lines: draft.lines.map((l, i) => (i === index ? { ...l, quantity } : l)) }, [
                `lines.${index}.quantity`,
              ])
            }
            onRemove={(index) => change({ lines: draft.lines.filter((_, i) => i !== index) }, ['lines'])}
          />
        </Card>
        <Card size="small" title={t('newOrder.customer')}>
          <CustomerFields
            draft={draft}
            issues={issues}
            onCustomer={(customer) => change({ customer }, ['customer'])}
            onLanguage={(language) => change({ language }, [])}
            onFound={found}
          />
        </Card>
        <Card size="small" title={t('newOrder.delivery')}>
          <DeliveryFields
            draft={draft}
            locations={locations.data.locations}
            issues={issues}
            onChange={(patch) =>
              change(
                patch,
                Object.keys(patch).map((k) => (k === 'address' ? 'shipping' : k)),
              )
            }
          />
        </Card>
        <Card size="small" title={t('newOrder.payment')}>
          <Form.Item label={t('newOrder.paymentStatus')} style={{ marginBottom: 0 }}>
            <Radio.Group
              value={draft.payment}
              onChange={(e) => change({ payment: e.target.value as Draft['payment'] }, ['payment'])}
              options={[
                { value: 'PAID', label: t('newOrder.paid') },
                { value: 'PENDING', label: t('newOrder.pending') },
                { value: 'COD', label: t('newOrder.cod') },
              ]}
            />
          </Form.Item>
          {draft.payment === 'PAID' && (
            <Form.Item
              label={t('newOrder.paymentReference')}
              htmlFor="new-order-payment-reference"
              validateStatus={issues['payment.reference'] ? 'error' : undefined}
              help={issues['payment.reference'] ?? t('newOrder.paymentReferenceHelp')}
              style={{ marginTop: 12, marginBottom: 0 }}
            >
              <Input
                id="new-order-payment-reference"
                value={draft.paymentReference}
                maxLength={100}
                autoComplete="off"
                onChange={(e) => change({ paymentReference: e.target.value }, ['payment'])}
              />
            </Form.Item>
          )}
          <Form.Item
            label={t('newOrder.coupons')}
            htmlFor="new-order-coupons"
            validateStatus={issues.couponCodes || (couponKey && quoteIssue) ? 'error' : undefined}
            help={issues.couponCodes ?? (couponKey && quoteIssue ? quoteIssue : t('newOrder.couponsHelp'))}
            style={{ marginTop: 12, marginBottom: 0 }}
          >
            <Input
              id="new-order-coupons"
              value={draft.coupons}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => change({ coupons: e.target.value }, ['couponCodes'])}
            />
          </Form.Item>
          {member && member.pointsBalance > 0 && (
            <Form.Item
              label={t('newOrder.points')}
              htmlFor="new-order-points"
              validateStatus={issues.pointsToRedeem ? 'error' : undefined}
              help={
                issues.pointsToRedeem ??
                t('newOrder.pointsHelp', {
                  name: draft.customer.name,
                  balance: member.pointsBalance.toLocaleString(),
                  tier: member.tierName,
                  max: maxPoints.toLocaleString(),
                })
              }
              style={{ marginTop: 12, marginBottom: 0 }}
            >
              <Space>
                <InputNumber
                  id="new-order-points"
                  min={0}
                  max={maxPoints}
                  precision={0}
                  value={draft.pointsToRedeem}
                  onChange={(value) => change({ pointsToRedeem: value ?? 0 }, ['pointsToRedeem'])}
                />
                <Typography.Text type="secondary">
                  {t('newOrder.pointsWorth', { amount: money(pointsMinor) })}
                </Typography.Text>
              </Space>
            </Form.Item>
          )}
        </Card>
        {general && <Alert type="error" showIcon title={general} />}
        {!general && Object.keys(issues).length > 0 && <Alert type="error" showIcon title={t('newOrder.fix')} />}
        <Card size="small">
          <Row align="middle" gutter={16}>
            <Col flex="auto">
              <Typography.Text type="secondary">{t('newOrder.total')} </Typography.Text>
              <Typography.Text strong style={{ fontSize: 22 }} data-testid="new-order-total">
                {money(total)}
              </Typography.Text>
              {quote && <QuotePanel quote={quote} />}
              <div>
                <Typography.Text type="secondary">
                  {pointsMinor > 0
                    ? t('newOrder.leftToPay', { amount: money(total - pointsMinor) })
                    : t('newOrder.totalHelp')}
                </Typography.Text>
              </div>
            </Col>
            <Col>
              <Button type="primary" size="large" loading={busy} onClick={() => void submit()}>
                {t('newOrder.submit')}
              </Button>
            </Col>
          </Row>
        </Card>
      </Space>
    </Form>
  );
}
