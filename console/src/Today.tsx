/**
 * Today: the day's orders and sales, orders by status, what is late by stage, delivery exceptions and low stock,
 * from GET /api/orders/summary, reloaded whenever orders, stock or warnings change. Every number opens the list
 * behind it.
 */
import type { ReactNode } from 'react';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ORDER_STATUSES, WAITING_STAGES, type WaitingStage } from '../../domain/order-status';
import { query } from './api';
import { errorText } from './errors';
import { money, TIME_ZONE } from './format';
import { Link } from './Link';
import { StatusTag } from './Labels';
import type { OrderStatus } from './types';
import { pathTo } from './typed-api';
import { useApi } from './useApi';

interface DaySummary {
  byStatus: Record<OrderStatus, number>;
  since: { orders: number; salesMinor: number };
  delays: Record<WaitingStage, number>;
  lowStock: number;
  deliveryExceptions: number;
}

/** A number that opens its list; red when something needs doing. */
function Figure({ to, title, value, alarm }: { to: string; title: ReactNode; value: ReactNode; alarm?: boolean }) {
  return (
    <Link to={to}>
      <Card size="small" hoverable>
        <Statistic title={title} value={value as string} valueStyle={alarm ? { color: '#cf1322' } : undefined} />
      </Card>
    </Link>
  );
}

export function Today() {
  const { t } = useTranslation();
  const dayStart = dayjs().tz(TIME_ZONE).startOf('day');
  const since = dayStart.toISOString();
  const summary = useApi<DaySummary>(pathTo('/orders/summary', {}, { since }), ['orders', 'stock', 'warnings']);
  const data = summary.data;
  const late = data ? WAITING_STAGES.reduce((sum, stage) => sum + data.delays[stage], 0) : undefined;
  const shown = (n: number | undefined) => (n === undefined ? '…' : n);

  return (
    <>
      <Typography.Title level={2}>{t('today.title')}</Typography.Title>
      {summary.error !== undefined && <Alert type="error" showIcon message={errorText(summary.error, t)} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
        <Col xs={12} md={6}>
          <Figure to={`/orders${query({ from: since })}`} title={t('today.orders')} value={shown(data?.since.orders)} />
        </Col>
        <Col xs={12} md={6}>
          <Figure
            to={`/orders${query({ from: since })}`}
            title={t('today.sales')}
            value={data ? money(data.since.salesMinor) : '…'}
          />
        </Col>
        <Col xs={12} md={4}>
          <Figure to="/orders?warning=any" title={t('today.late')} value={shown(late)} alarm={!!late} />
        </Col>
        <Col xs={12} md={4}>
          <Figure
            to="/orders?exception=true"
            title={t('today.exceptions')}
            value={shown(data?.deliveryExceptions)}
            alarm={!!data?.deliveryExceptions}
          />
        </Col>
        <Col xs={12} md={4}>
          <Figure
            to="/stock?low=true"
            title={t('today.lowStock')}
            value={shown(data?.lowStock)}
            alarm={!!data?.lowStock}
          />
        </Col>
      </Row>
      <Card title={t('today.byStatus')} style={{ marginBottom: 24 }}>
        <Row gutter={[16, 16]}>
          {ORDER_STATUSES.map((status) => (
            <Col key={status} xs={12} sm={8} md={6} lg={4}>
              <Figure
                to={`/orders${query({ status })}`}
                title={<StatusTag status={status} />}
                value={shown(data?.byStatus[status])}
              />
            </Col>
          ))}
        </Row>
      </Card>
      <Card title={t('today.lateByStage')}>
        <Row gutter={[16, 16]}>
          {WAITING_STAGES.map((stage) => (
            <Col key={stage} xs={12} sm={8} md={4}>
              <Figure
                to={`/orders${query({ warning: stage })}`}
                title={t(`stage.${stage}`)}
                value={shown(data?.delays[stage])}
                alarm={!!data?.delays[stage]}
              />
            </Col>
          ))}
        </Row>
      </Card>
    </>
  );
}
