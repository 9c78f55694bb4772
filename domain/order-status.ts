/** The order lifecycle's statuses (also the `OrderStatus` search attribute). See DESIGN.md §1. */
export const ORDER_STATUSES = [
  'RECEIVED',
  'IN_REVIEW',
  'ALLOCATING',
  'BACKORDERED',
  'PICKING',
  'SHIPPED',
  'READY_FOR_PICKUP',
  'DELIVERED',
  'AFTER_SALES',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Stages where an order waits on people or outside parties; each has an SLA (OMS_SLA_<STAGE>). */
export const WAITING_STAGES = ['REVIEW', 'BACKORDER', 'PICKING', 'PICKUP', 'DELIVERY', 'RETURN'] as const;
export type WaitingStage = (typeof WAITING_STAGES)[number];

export const SALES_CHANNELS = ['pos', 'web', 'phone', 'marketplace'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];
