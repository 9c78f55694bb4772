/**
 * Setting up a promotion: its rule (满减 steps, a percentage, an amount, buy N get M, a coupon's percentage, a gift),
 * which goods, channels and dates, coupons and combining; beside it a test basket priced live as if the promotion
 * already ran (POST /api/pricing/quote with the draft), so the manager sees what a customer would pay before saving.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { money } from '../../format';
import { QuotePanel, type Quote } from '../new-order/QuotePanel';
import { basketOf, EDITABLE_KINDS, emptyPromotion, promotionBody, type PromotionDraft } from './model';

const CHANNELS = ['web', 'phone', 'pos', 'marketplace'];

export function PromotionForm({ onSaved, onCancel }: { onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PromotionDraft>(emptyPromotion);
  const [basket, setBasket] = useState('');
  const [quote, setQuote] = useState<Quote>();
  const [quoteError, setQuoteError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<PromotionDraft>) => setDraft((d) => ({ ...d, ...patch }));

  // The test basket priced a moment after the promotion or the basket changes.
  const body = JSON.stringify(promotionBody(draft));
  useEffect(() => {
    const lines = basketOf(basket);
    if (lines.length === 0) {
      setQuote(undefined);
      setQuoteError(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      const draftBody = JSON.parse(body) as Record<string, unknown>;
      // A code is needed to price a draft; an unnamed one is priced under a stand-in.
      if (!draftBody.code) draftBody.code = 'DRAFT';
      if (!draftBody.name) draftBody.name = t('promotions.thisPromotion');
      api<Quote>('POST', '/pricing/quote', { channel: 'web', lines, draft: draftBody }).then(
        (q) => current && (setQuote(q), setQuoteError(undefined)),
        (err: unknown) => current && (setQuote(undefined), setQuoteError(errorText(err, t))),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [basket, body, t]);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/promotions', promotionBody(draft));
      onSaved();
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  const yuan = (value: number | null, onChange: (v: number | null) => void, id: string) => (
    <InputNumber id={id} min={0} step={1} precision={2} prefix="¥" value={value} onChange={onChange} />
  );
  const targetLabel = t(`promotions.targetBy.${draft.targetBy}`);

  return (
    <Row gutter={16}>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('promotions.new')}>
          <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
            <Space wrap>
              <Form.Item label={t('promotions.code')} htmlFor="promotion-code" help={t('promotions.codeHelp')}>
                <Input
                  id="promotion-code"
                  value={draft.code}
                  maxLength={32}
                  onChange={(e) => set({ code: e.target.value })}
                />
              </Form.Item>
              <Form.Item label={t('promotions.name')} htmlFor="promotion-name">
                <Input
                  id="promotion-name"
                  value={draft.name}
                  maxLength={100}
                  onChange={(e) => set({ name: e.target.value })}
                />
              </Form.Item>
            </Space>
            <Form.Item label={t('promotions.kindLabel')} htmlFor="promotion-kind">
              <Select
                id="promotion-kind"
                value={draft.kind}
                onChange={(kind) => set({ kind })}
                options={EDITABLE_KINDS.map((k) => ({ value: k, label: t(`promotions.kind.${k}`) }))}
              />
            </Form.Item>
            {draft.kind === 'THRESHOLD_OFF' &&
              draft.steps.map((step, i) => (
                <Space key={i} align="end" wrap>
                  <Form.Item label={t('promotions.stepFrom')} htmlFor={`promotion-step-from-${i}`}>
                    {yuan(
                      step.from,
                      (from) => set({ steps: draft.steps.map((s, j) => (j === i ? { ...s, from } : s)) }),
                      `promotion-step-from-${i}`,
                    )}
                  </Form.Item>
                  <Form.Item label={t('promotions.stepOff')} htmlFor={`promotion-step-off-${i}`}>
                    {yuan(
                      step.off,
                      (off) => set({ steps: draft.steps.map((s, j) => (j === i ? { ...s, off } : s)) }),
                      `promotion-step-off-${i}`,
                    )}
                  </Form.Item>
                  {i === draft.steps.length - 1 && (
                    <Form.Item>
                      <Button onClick={() => set({ steps: [...draft.steps, { from: null, off: null }] })}>
                        {t('promotions.addStep')}
                      </Button>
                    </Form.Item>
                  )}
                </Space>
              ))}
            {(draft.kind === 'PERCENT_OFF' || draft.kind === 'ORDER_PERCENT_OFF') && (
              <Form.Item label={t('promotions.percent')} htmlFor="promotion-percent" help={t('promotions.percentHelp')}>
                <InputNumber
                  id="promotion-percent"
                  min={0.01}
                  max={100}
                  precision={2}
                  suffix="%"
                  value={draft.percent}
                  onChange={(percent) => set({ percent })}
                />
              </Form.Item>
            )}
            {draft.kind === 'AMOUNT_OFF' && (
              <Form.Item label={t('promotions.amountOff')} htmlFor="promotion-amount">
                {yuan(draft.amountYuan, (amountYuan) => set({ amountYuan }), 'promotion-amount')}
              </Form.Item>
            )}
            {draft.kind === 'BUY_N_GET_M' && (
              <Space>
                <Form.Item label={t('promotions.buy')} htmlFor="promotion-buy">
                  <InputNumber id="promotion-buy" min={1} value={draft.buy} onChange={(buy) => set({ buy })} />
                </Form.Item>
                <Form.Item label={t('promotions.free')} htmlFor="promotion-free">
                  <InputNumber id="promotion-free" min={1} value={draft.free} onChange={(free) => set({ free })} />
                </Form.Item>
              </Space>
            )}
            {(draft.kind === 'ORDER_PERCENT_OFF' || draft.kind === 'THRESHOLD_GIFT') && (
              <Form.Item label={t('promotions.from')} htmlFor="promotion-from">
                {yuan(draft.fromYuan, (fromYuan) => set({ fromYuan }), 'promotion-from')}
              </Form.Item>
            )}
            {draft.kind === 'THRESHOLD_GIFT' && (
              <Space>
                <Form.Item label={t('promotions.giftSku')} htmlFor="promotion-gift">
                  <Input id="promotion-gift" value={draft.giftSku} onChange={(e) => set({ giftSku: e.target.value })} />
                </Form.Item>
                <Form.Item label={t('promotions.giftQuantity')} htmlFor="promotion-gift-quantity">
                  <InputNumber
                    id="promotion-gift-quantity"
                    min={1}
                    value={draft.giftQuantity}
                    onChange={(giftQuantity) => set({ giftQuantity })}
                  />
                </Form.Item>
              </Space>
            )}
            <Form.Item label={t('promotions.appliesTo')}>
              <Space.Compact style={{ width: '100%' }}>
                <Select
                  style={{ width: 160 }}
                  value={draft.targetBy}
                  onChange={(targetBy) => set({ targetBy })}
                  options={(['all', 'skus', 'products', 'categories'] as const).map((k) => ({
                    value: k,
                    label: t(`promotions.targetBy.${k}`),
                  }))}
                />
                {draft.targetBy !== 'all' && (
                  <Input
                    aria-label={targetLabel}
                    placeholder={targetLabel}
                    value={draft.target}
                    onChange={(e) => set({ target: e.target.value })}
                  />
                )}
              </Space.Compact>
            </Form.Item>
            <Form.Item label={t('promotions.channels')} help={t('promotions.channelsHelp')}>
              <Checkbox.Group
                value={draft.channels}
                onChange={(channels) => set({ channels })}
                options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('promotions.period')} help={t('promotions.periodHelp')}>
              <DatePicker.RangePicker
                showTime
                allowEmpty={[true, true]}
                value={[draft.startsAt ? dayjs(draft.startsAt) : null, draft.endsAt ? dayjs(draft.endsAt) : null]}
                onChange={(range) =>
                  set({
                    startsAt: range?.[0]?.toISOString() ?? undefined,
                    endsAt: range?.[1]?.toISOString() ?? undefined,
                  })
                }
              />
            </Form.Item>
            <Space wrap size="large">
              <Space>
                <Switch
                  id="promotion-coupon"
                  checked={draft.couponRequired}
                  onChange={(couponRequired) => set({ couponRequired })}
                />
                <label htmlFor="promotion-coupon">{t('promotions.couponRequired')}</label>
              </Space>
              <Space>
                <Switch
                  id="promotion-exclusive"
                  checked={draft.exclusive}
                  onChange={(exclusive) => set({ exclusive })}
                />
                <label htmlFor="promotion-exclusive">{t('promotions.exclusive')}</label>
              </Space>
              <Space>
                <label htmlFor="promotion-priority">{t('promotions.priority')}</label>
                <InputNumber
                  id="promotion-priority"
                  min={0}
                  max={1000}
                  value={draft.priority}
                  onChange={(priority) => set({ priority: priority ?? 0 })}
                />
              </Space>
            </Space>
            {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
            <Space style={{ marginTop: 16 }}>
              <Button type="primary" loading={busy} onClick={() => void save()}>
                {t('promotions.save')}
              </Button>
              <Button onClick={onCancel}>{t('promotions.cancel')}</Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('promotions.tryIt')}>
          <Form layout="vertical">
            <Form.Item label={t('promotions.basket')} help={t('promotions.basketHelp')} htmlFor="promotion-basket">
              <Input
                id="promotion-basket"
                value={basket}
                onChange={(e) => setBasket(e.target.value)}
                placeholder="TEE-WHI-M×2 JEANS-BLU-32"
              />
            </Form.Item>
          </Form>
          {quoteError && <Alert type="warning" showIcon title={quoteError} />}
          {quote && (
            <Space direction="vertical">
              <QuotePanel quote={quote} />
              <Typography.Text strong style={{ fontSize: 20 }} data-testid="promotion-quote-total">
                {money(quote.totalMinor)}
              </Typography.Text>
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
