import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from './types';

const COLOURS: Partial<Record<OrderStatus, string>> = {
  IN_REVIEW: 'orange',
  BACKORDERED: 'volcano',
  PICKING: 'blue',
  SHIPPED: 'cyan',
  READY_FOR_PICKUP: 'purple',
  DELIVERED: 'green',
  COMPLETED: 'green',
  REJECTED: 'red',
  CANCELLED: 'default',
};

export function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status] ?? 'geekblue'}>{t(`status.${status}`)}</Tag>;
}
