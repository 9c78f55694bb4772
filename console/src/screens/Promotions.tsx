/**
 * Promotions (managers): what runs, what is scheduled, what has ended, each with its rule in words; a new promotion
 * set up with a live quote beside it; a running one ended; a coupon promotion's codes issued and followed.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorText } from '../errors';
import { money, time } from '../format';
import type { SignedIn } from '../types';
import { useApi } from '../useApi';
import { Coupons } from './promotions/Coupons';
import { PromotionForm } from './promotions/PromotionForm';
import type { PromotionRow } from './promotions/model';

export function promotionsScreen(path: string, _params: URLSearchParams, me: SignedIn): ReactNode | null {
  return path === '/promotions' ? <Promotions me={me} /> : null;
}

const STATUS_COLOURS: Record<string, string> = { RUNNING: 'green', SCHEDULED: 'blue', ENDED: 'default' };

/** The rule in a line a manager reads: 满300减30 / 满500减60, 10% off, buy 2 get 1, a gift from ¥299. */
function ruleWords(rule: Record<string, unknown>, t: TFunction): string {
  const r = rule as {
    kind: string;
    steps?: { fromMinor: number; offMinor: number }[];
    percent?: number;
    amountMinor?: number;
    buy?: number;
    free?: number;
    fromMinor?: number;
    giftSku?: string;
    giftQuantity?: number;
    prices?: unknown[];
  };
  switch (r.kind) {
    case 'THRESHOLD_OFF':
      return (r.steps ?? [])
        .map((s) => t('promotions.words.step', { from: money(s.fromMinor), off: money(s.offMinor) }))
        .join(' / ');
    case 'PERCENT_OFF':
      return t('promotions.words.percent', { percent: r.percent });
    case 'AMOUNT_OFF':
      return t('promotions.words.amount', { amount: money(r.amountMinor ?? 0) });
    case 'BUY_N_GET_M':
      return t('promotions.words.buy', { buy: r.buy, free: r.free });
    case 'ORDER_PERCENT_OFF':
      return r.fromMinor
        ? t('promotions.words.orderPercent', { percent: r.percent, from: money(r.fromMinor) })
        : t('promotions.words.orderPercentAll', { percent: r.percent });
    case 'THRESHOLD_GIFT':
      return t('promotions.words.gift', { from: money(r.fromMinor ?? 0), sku: r.giftSku, quantity: r.giftQuantity });
    default:
      return t('promotions.words.prices', { count: r.prices?.length ?? 0 });
  }
}

function Promotions({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const list = useApi<{ promotions: PromotionRow[] }>('/promotions');
  const [creating, setCreating] = useState(false);
  const [coupons, setCoupons] = useState<string>();
  const [error, setError] = useState<string>();
  const manages = me.permissions.includes('promotions.manage');

  const end = async (code: string) => {
    setError(undefined);
    try {
      await api('POST', `/promotions/${encodeURIComponent(code)}/end`, {});
      list.reload();
    } catch (err) {
      setError(errorText(err, t));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('promotions.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('promotions.intro')}</Typography.Paragraph>
      {manages && !creating && (
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('promotions.new')}
        </Button>
      )}
      {creating && (
        <PromotionForm
          onSaved={() => {
            setCreating(false);
            list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {list.error ? (
        <Alert type="error" showIcon title={errorText(list.error, t)} />
      ) : (
        <Table<PromotionRow>
          rowKey="code"
          size="small"
          loading={list.loading}
          dataSource={list.data?.promotions ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            {
              title: t('promotions.promotion'),
              render: (_: unknown, p) => (
                <>
                  <Typography.Text strong>{p.name}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{p.code}</Typography.Text>
                </>
              ),
            },
            { title: t('promotions.rule'), render: (_: unknown, p) => ruleWords(p.rule, t) },
            {
              title: t('promotions.conditions'),
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  {p.couponRequired && <Tag color="purple">{t('promotions.coupon')}</Tag>}
                  {p.exclusive && <Tag>{t('promotions.exclusive')}</Tag>}
                  {(p.channels ?? []).map((c) => (
                    <Tag key={c}>{t(`channel.${c}`)}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('promotions.period'),
              render: (_: unknown, p) => `${p.startsAt ? time(p.startsAt) : '…'} – ${p.endsAt ? time(p.endsAt) : '…'}`,
            },
            {
              title: t('promotions.statusLabel'),
              render: (_: unknown, p) => (
                <Tag color={STATUS_COLOURS[p.status]}>{t(`promotions.status.${p.status}`)}</Tag>
              ),
            },
            {
              title: '',
              render: (_: unknown, p) => (
                <Space>
                  {p.couponRequired && (
                    <Button size="small" onClick={() => setCoupons(p.code)}>
                      {t('promotions.coupons')}
                    </Button>
                  )}
                  {p.status !== 'ENDED' && manages && (
                    <Popconfirm title={t('promotions.endConfirm', { name: p.name })} onConfirm={() => void end(p.code)}>
                      <Button size="small" danger>
                        {t('promotions.end')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {coupons && <Coupons code={coupons} onClose={() => setCoupons(undefined)} />}
    </Space>
  );
}
