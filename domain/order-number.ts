/** Order numbers staff and customers see: SO-<yyyymmdd>-<6-digit daily sequence>, e.g. SO-20261123-000042. */
export function orderDay(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

export function formatOrderNumber(day: string, seq: number): string {
  return `SO-${day}-${String(seq).padStart(6, '0')}`;
}

export const ORDER_NUMBER_PATTERN = /^SO-\d{8}-\d{6,}$/;

export function orderWorkflowId(orderNumber: string): string {
  return `order-${orderNumber}`;
}
