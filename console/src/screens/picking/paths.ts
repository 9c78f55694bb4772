/** The console paths of the picking screens. */
export const pickPath = (orderNumber: string, seq?: number) =>
  `/picking/${encodeURIComponent(orderNumber)}${seq ? `?shipment=${seq}` : ''}`;

export const slipPath = (orderNumber: string, seq: number) => `/picking/${encodeURIComponent(orderNumber)}/slip/${seq}`;
