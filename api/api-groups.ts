/**
 * Every group of operations the app serves (api/operations.ts), in the order of the reference: what
 * `GET /api/openapi.json` describes. test/unit/openapi.test.ts fails on a route the app serves that is not here.
 */
import type { ApiGroup } from './operations';
import { adminApi } from './routes/admin';
import { carrierApi } from './routes/carriers';
import { changesApi } from './routes/changes';
import { catalogueApi } from './routes/catalogue';
import { codecApi } from './routes/codec';
import { csvApi } from './routes/csv';
import { customerApi } from './routes/customers';
import { docsApi } from './routes/docs';
import { healthApi } from './routes/health';
import { inventoryApi } from './routes/inventory';
import { metricsApi } from './routes/metrics';
import { orderApi } from './routes/orders';
import { pricingApi } from './routes/pricing';
import { promotionApi } from './routes/promotions';
import { repairApi } from './routes/repairs';
import { reportApi } from './routes/reports';
import { returnApi } from './routes/returns';
import { sessionAdminApi, sessionApi } from './routes/sessions';
import { transferApi } from './routes/transfers';
import { trackingApi } from './routes/track';

export const API_GROUPS: readonly ApiGroup[] = [
  orderApi,
  returnApi,
  customerApi,
  repairApi,
  promotionApi,
  pricingApi,
  reportApi,
  trackingApi,
  transferApi,
  catalogueApi,
  inventoryApi,
  csvApi,
  changesApi,
  sessionApi,
  adminApi,
  sessionAdminApi,
  codecApi,
  carrierApi,
  healthApi,
  metricsApi,
  docsApi,
];
