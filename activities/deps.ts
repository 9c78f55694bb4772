/** What every activity is built from: the database, the outside services and the settings they read. */
import type { Config } from '../lib/config';
import type { Db } from '../db/client';
import type { Mailer } from '../mail/transport';
import type { CarrierAdapter } from '../carriers/types';
import type { PaymentAdapter } from '../payments/types';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  carrier: CarrierAdapter;
  payments: PaymentAdapter;
  config: Pick<
    Config,
    | 'mailFrom'
    | 'managerEmail'
    | 'expressFromMinor'
    | 'publicUrl'
    | 'loyalty'
    | 'shopName'
    | 'shopLogoUrl'
    | 'shopContact'
    | 'afterSalesWindowMs'
    | 'returnDiscountPolicy'
    | 'birthdayPromotion'
    | 'timeZone'
    | 'language'
  >;
}
