/**
 * The order workflow's activities: every side effect an order has (database, carrier, email).
 * Each is safe to retry: idempotency keys come from the order number, never from time or chance.
 */
import type { Config } from '../lib/config';
import type { Db } from '../db/client';
import type { Mailer } from '../mail/transport';
import type { CarrierAdapter } from '../carriers/types';
import { createOrderActivities } from './orders';
import { createEmailActivities } from './email';
import { createShippingActivities } from './shipping';
import { createTransferActivities } from './transfers';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  carrier: CarrierAdapter;
  config: Pick<Config, 'mailFrom' | 'managerEmail'>;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createEmailActivities(deps),
    ...createShippingActivities(deps),
    ...createTransferActivities(deps),
  };
}

export type OrderActivities = ReturnType<typeof createActivities>;
