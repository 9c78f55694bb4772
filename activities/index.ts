/**
 * The order workflow's activities: every side effect an order has (database, carrier, payments, email).
 * Each is safe to retry: idempotency keys come from the order number, never from time or chance.
 */
import type { Config } from '../lib/config';
import type { Db } from '../db/client';
import type { Mailer } from '../mail/transport';
import type { CarrierAdapter } from '../carriers/types';
import type { PaymentAdapter } from '../payments/types';
import { createOrderActivities } from './orders';
import { createAllocationActivities } from './allocation';
import { createEmailActivities } from './email';
import { createShippingActivities } from './shipping';
import { createAfterSalesActivities } from './after-sales';
import { createTransferActivities } from './transfers';
import { createBenchActivities } from './bench';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  carrier: CarrierAdapter;
  payments: PaymentAdapter;
  config: Pick<Config, 'mailFrom' | 'managerEmail' | 'expressFromMinor' | 'publicUrl'>;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createAllocationActivities(deps),
    ...createEmailActivities(deps),
    ...createShippingActivities(deps),
    ...createAfterSalesActivities(deps),
    ...createTransferActivities(deps),
    ...createBenchActivities(),
  };
}

export type OrderActivities = ReturnType<typeof createActivities>;
