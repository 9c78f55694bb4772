/** One order, reloaded whenever orders move, with only the actions valid now (GET …/actions) as buttons. */
import { Alert, Card, Col, Row, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { errorText } from './errors';
import { Link } from './Link';
import { OrderActionsBar } from './OrderActionsBar';
import { OrderLines } from './OrderLines';
import { OrderShipments } from './OrderShipments';
import { OrderSummary } from './OrderSummary';
import { OrderTimeline } from './OrderTimeline';
import { OrderAfterSales } from './OrderAfterSales';
import { StatusTag } from './Labels';
import { TemporalLink } from './TemporalLink';
import type { OrderActions, OrderView, SignedIn } from './types';
import { useApi } from './useApi';

/** The order's own changes and a warning on it (a delay) both show. */
const LIVE = ['orders', 'warnings'] as const;

export function OrderPage({ orderNumber, me }: { orderNumber: string; me: SignedIn }) {
  const { t } = useTranslation();
  const path = `/orders/${encodeURIComponent(orderNumber)}`;
  const order = useApi<OrderView>(path, LIVE);
  const actions = useApi<OrderActions>(`${path}/actions`, LIVE);
  const refresh = () => {
    order.reload();
    actions.reload();
  };

  if (order.error instanceof ApiError && order.error.status === 404) {
    return <Alert type="warning" showIcon message={t('order.notFound')} description={orderNumber} />;
  }
  if (!order.data) {
    return order.error ? <Alert type="error" showIcon message={errorText(order.error, t)} /> : <Spin />;
  }
  const view = order.data;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Link to="/orders">← {t('order.back')}</Link>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {view.orderNumber}
        </Typography.Title>
        <span data-testid="order-status">
          <StatusTag status={view.status} />
        </span>
        <TemporalLink me={me} orderNumber={view.orderNumber} />
      </Space>
      {order.error !== undefined && <Alert type="error" showIcon message={errorText(order.error, t)} />}
      <Card title={t('order.actions')} size="small">
        <OrderActionsBar
          order={view}
          offered={actions.data}
          mayReadCatalogue={me.permissions.includes('catalogue.read')}
          onDone={refresh}
        />
      </Card>
      <OrderSummary order={view} />
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <OrderLines order={view} />
            <OrderShipments shipments={view.shipments} />
            <OrderAfterSales order={view} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <OrderTimeline entries={view.timeline} />
        </Col>
      </Row>
    </Space>
  );
}
