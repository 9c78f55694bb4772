/**
 * The order workflow's activities: every side effect an order has (database, carrier, payments, email).
 * Each is safe to retry: idempotency keys come from the order number, never from time or chance.
 */
import type { ActivityDeps } from './deps';
import { createOrderActivities } from './orders';
import { createAllocationActivities } from './allocation';
import { createEmailActivities } from './email';
import { createShippingActivities } from './shipping';
import { createAfterSalesActivities } from './after-sales';
import { createTransferActivities } from './transfers';
import { createLoyaltyActivities } from './loyalty';
import { createOrderEditActivities } from './order-edits';
import { createRepairActivities } from './repairs';
import { createBirthdayActivities } from './birthdays';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createAllocationActivities(deps),
    ...createEmailActivities(deps),
    ...createShippingActivities(deps),
    ...createAfterSalesActivities(deps),
    ...createTransferActivities(deps),
    ...createLoyaltyActivities(deps),
    ...createOrderEditActivities(deps),
    ...createRepairActivities(deps),
    ...createBirthdayActivities(deps),
  };
}

export type OrderActivities = ReturnType<typeof createActivities>;
