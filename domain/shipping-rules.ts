/** Which carrier service an order ships with. Pure: the caller supplies the shop's rules. */
export type ServiceLevel = 'standard' | 'express';

export interface ShippingRules {
  carrier: string;
  /** Orders worth at least this (minor units) go express: faster and insured is worth it for them. */
  expressFromMinor: number;
  /** Channels that promise fast delivery, e.g. a marketplace's next-day programme. */
  expressChannels?: readonly string[];
}

export function chooseService(
  order: { totalMinor: number; urgent: boolean; channel: string; memberExpress?: boolean },
  rules: ShippingRules,
): { carrier: string; service: ServiceLevel } {
  const express =
    order.urgent ||
    order.memberExpress ||
    order.totalMinor >= rules.expressFromMinor ||
    (rules.expressChannels ?? []).includes(order.channel);
  return { carrier: rules.carrier, service: express ? 'express' : 'standard' };
}
