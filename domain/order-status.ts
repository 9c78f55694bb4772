/** The order lifecycle's statuses (also the `OrderStatus` search attribute). See docs/api.md. */
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

/** Where one shipment (or pickup) of an order stands. */
export const SHIPMENT_PHASES = [
  'PICKING',
  'PICKED',
  'SHIPPED',
  'READY_FOR_PICKUP',
  'DELIVERED',
  'EXCEPTION',
  'RESOLVED',
] as const;
export type ShipmentPhase = (typeof SHIPMENT_PHASES)[number];

/** Where one return or exchange stands. */
export const RETURN_STATUSES = ['REQUESTED', 'APPROVED', 'RECEIVED', 'REJECTED', 'REFUNDED', 'EXCHANGED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Stages where an order waits on people or outside parties; each has an SLA (OMS_SLA_<STAGE>). */
export const WAITING_STAGES = ['REVIEW', 'BACKORDER', 'PICKING', 'PICKUP', 'DELIVERY', 'RETURN'] as const;
export type WaitingStage = (typeof WAITING_STAGES)[number];

export const SALES_CHANNELS = ['pos', 'web', 'phone', 'marketplace'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];
