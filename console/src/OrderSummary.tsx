import { Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { money, time } from './format';
import { Link } from './Link';
import type { OrderView } from './types';

/** Customer, address, payment and totals. */
export function OrderSummary({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  const address = order.shippingAddress
    ? ['line1', 'line2', 'city', 'region', 'postalCode', 'country']
        .map((field) => order.shippingAddress?.[field])
        .filter(Boolean)
        .join(', ')
    : '—';
  return (
    <Card size="small">
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
        <Descriptions.Item label={t('order.customer')}>
          {/* A warehouse key gets no email and a masked phone (domain/customer-privacy.ts). */}
          {order.customerName === null && !order.customerPhone
            ? t('order.walkIn')
            : [order.customerName, order.customerEmail, order.customerPhone].filter(Boolean).join(' · ')}
          {order.customerId && (
            <>
              {' '}
              <Link to={`/customers/${order.customerId}`}>{t('customers.open')}</Link>
            </>
          )}
          {order.member && (
            <>
              {' '}
              <Tag color="gold">{order.member.tier.name}</Tag>
              {t('order.points', { points: order.member.pointsBalance.toLocaleString() })}
            </>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.address')}>{address}</Descriptions.Item>
        {order.note && <Descriptions.Item label={t('orderEdit.note')}>{order.note}</Descriptions.Item>}
        <Descriptions.Item label={t('order.payment')}>
          {t(`order.paymentStatus.${order.paymentStatus}`, { defaultValue: order.paymentStatus })}
        </Descriptions.Item>
        {order.discountMinor > 0 && (
          <Descriptions.Item label={t('order.discounts')}>
            <span data-testid="order-discounts">
              {(order.discounts.length
                ? order.discounts
                : [{ code: 'PLATFORM', name: t('order.platformDiscount'), amountMinor: order.discountMinor }]
              )
                .map((d) => `${d.name} −${money(d.amountMinor, order.currency)}`)
                .join(' · ')}
            </span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('order.total')}>
          {money(order.totalMinor, order.currency)}
          {order.pointsMinor
            ? ` · ${t('order.paidWithPoints', { amount: money(order.pointsMinor, order.currency) })}`
            : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.channel')}>
          {t(`channel.${order.channel}`)} · {order.externalId}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.fulfilment')}>
          {t(`order.fulfilmentOf.${order.fulfilment}`, { defaultValue: order.fulfilment })}{' '}
          {order.urgent && <Tag color="red">{t('order.urgent')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.created')}>{time(order.createdAt)}</Descriptions.Item>
        {order.reviewReasons && order.reviewReasons.length > 0 && (
          <Descriptions.Item label={t('order.review')}>
            {order.reviewReasons.map((r) => r.message).join('; ')}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
