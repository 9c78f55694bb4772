/** Tiers and points at the order's milestones (orders/loyalty.ts does the work; refunds settle in activities/refunds.ts). */
import type { ActivityDeps } from './deps';
import { settleCompleted, settleDelivered } from '../orders/loyalty';

export function createLoyaltyActivities({ db, config }: ActivityDeps) {
  return {
    /** DELIVERED: the tier counts the order and the order earns its points; COMPLETED: the tier is looked at again. */
    async settleLoyalty({ orderNumber, stage }: { orderNumber: string; stage: 'DELIVERED' | 'COMPLETED' }) {
      if (stage === 'DELIVERED') await settleDelivered(db, orderNumber, config.loyalty);
      else await settleCompleted(db, orderNumber, config.loyalty);
    },
  };
}
