/**
 * What the basket will cost, as POST /api/pricing/quote prices it (the engine intake uses): the list total, each
 * promotion's discount, the gifts, and what is missing for a promotion the basket nearly reached.
 */
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { money } from '../../format';

export interface Quote {
  listMinor: number;
  discountMinor: number;
  totalMinor: number;
  lines: { sku: string; quantity: number; gift: boolean }[];
  applied: { code: string; name: string; amountMinor: number; gift?: { sku: string; quantity: number } }[];
  notApplied: { code: string; name: string; reason: string; missingMinor?: number }[];
}

export function QuotePanel({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const discounts = quote.applied.filter((a) => !a.gift);
  const gifts = quote.lines.filter((l) => l.gift);
  const nearly = quote.notApplied.filter((n) => n.reason === 'BELOW_THRESHOLD' && n.missingMinor);
  return (
    <Space orientation="vertical" size={2} data-testid="new-order-quote">
      {quote.discountMinor > 0 && (
        <Typography.Text type="secondary">
          {t('newOrder.listTotal')} <Typography.Text delete>{money(quote.listMinor)}</Typography.Text>
        </Typography.Text>
      )}
      {discounts.map((a) => (
        <Typography.Text key={a.code} type="danger">
          {a.name} −{money(a.amountMinor)}
        </Typography.Text>
      ))}
      {gifts.map((g) => (
        <span key={g.sku}>
          <Tag color="magenta">{t('newOrder.gift')}</Tag>
          {g.sku} × {g.quantity}
        </span>
      ))}
      {nearly.map((n) => (
        <Typography.Text key={n.code} type="warning">
          {t('newOrder.nearly', { amount: money(n.missingMinor!), name: n.name })}
        </Typography.Text>
      ))}
    </Space>
  );
}
