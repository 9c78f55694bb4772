/**
 * The API's JSON answers as the tests read them, typed where they enter the test: the rows and views the routes
 * send (Prisma's models and the code's own types, dates as the ISO strings JSON makes of them), the error shape of
 * api/errors.ts, and `json()` for the body of a `fetch` Response. A type here is what the test expects the answer
 * to be, not a check that it is: the tests' assertions do the checking.
 */
import type { ApiKeyView } from '../../access/key-store';
import type { SessionView } from '../../access/sessions';
import type { Prisma } from '../../db/client';
import type { ReviewReason } from '../../domain/review';
import type { listStockLevels } from '../../inventory/levels';
import type { DaySummary as DaySummaryRow, OrderPage as OrderPageRows } from '../../orders/order-list';
import type { PickListShipment } from '../../orders/pick-list';
import type { TimelineEntry } from '../../orders/timeline';

/** One answer of the API: its status and its body, parsed (undefined when the answer has none). */
export interface ApiResponse<Body = unknown> {
  status: number;
  body: Body;
}

/** The body of a `fetch` Response, parsed as JSON, typed as the caller expects it. */
export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A value after JSON.stringify and JSON.parse: dates become ISO strings, the rest stays as it was. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? Jsonified<Item>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Every error answer (api/errors.ts): `details` is null when there are none. */
export interface ApiError<Details = unknown> {
  error: { code: string; message: string; details: Details };
}

/** A validation failure's details (422 VALIDATION_FAILED): one entry per field refused. */
export type ValidationDetails = { path: string; message: string }[];

// ---- orders ---------------------------------------------------------------------------------------------------

/**
 * An order with its lines, allocations, shipments (with their tracking events), returns and refunds, as
 * api/routes/orders.ts loads it: POST /api/orders answers with it (a new order has none of the relations yet).
 */
export type StoredOrder = Omit<
  Jsonified<
    Prisma.OrderGetPayload<{
      include: {
        lines: true;
        allocations: true;
        shipments: { include: { events: true } };
        returns: true;
        refunds: true;
      };
    }>
  >,
  'reviewReasons'
> & {
  /** What review flagged (activities/orders.ts writes domain/review's reasons); null before review. */
  reviewReasons: ReviewReason[] | null;
};

/** GET /api/orders/:orderNumber and every staff action's answer: the order, its warnings, timeline and member. */
export type OrderView = StoredOrder & {
  warnings: Jsonified<Prisma.WarningModel>[];
  timeline: Jsonified<TimelineEntry>[];
  /** The customer's tier and points; null for a walk-in. */
  member: { tier: { code: string; name: string }; pointsBalance: number } | null;
};

/** GET /api/orders: a summary per order. */
/** GET /api/orders/summary. */
export type DaySummary = Jsonified<DaySummaryRow>;

/** GET /api/orders?…: a page of the list. */
export type OrderPage = Jsonified<OrderPageRows>;

/** GET /api/changes. */
export type { ChangeStamps } from '../../orders/change-stamps';

export interface OrderList {
  orders: Pick<Jsonified<Prisma.OrderModel>, 'orderNumber' | 'channel' | 'externalId' | 'status' | 'totalMinor'>[];
}

/** GET /api/orders/:orderNumber/pick-list. */
export interface PickListAnswer {
  orderNumber: string;
  status: string;
  shipments: PickListShipment[];
}

// ---- returns and transfers ------------------------------------------------------------------------------------

/** A return or exchange (POST /api/orders/:orderNumber/returns answers with the row, GET adds its order's number). */
export type ReturnRow = Jsonified<Prisma.ReturnRequestModel>;

export interface ReturnList {
  returns: ReturnRow[];
}

/** A transfer with its lines (api/routes/transfers.ts). */
export type TransferView = Jsonified<Prisma.TransferGetPayload<{ include: { lines: true } }>>;

// ---- catalogue and stock --------------------------------------------------------------------------------------

export type ProductView = Jsonified<Prisma.ProductGetPayload<{ include: { variants: true } }>>;

export interface ProductList {
  products: ProductView[];
}

export interface LocationList {
  locations: Jsonified<Prisma.LocationModel>[];
}

/** One SKU at one location, as GET /api/inventory lists it (inventory/levels.ts). */
export type StockLevelRow = Jsonified<Awaited<ReturnType<typeof listStockLevels>>[number]>;

export interface StockLevelList {
  levels: StockLevelRow[];
}

/** GET /api/inventory/check: the stock levels against the ledger, and the serialised units against the levels. */
export interface StockCheck {
  consistent: boolean;
  differences: unknown[];
  serialDifferences: unknown[];
}

/** GET /api/serials/:serial: one unit and its history. */
export type SerialUnitView = Jsonified<Prisma.SerialUnitGetPayload<{ include: { events: true } }>>;

export type WarningRow = Jsonified<Prisma.WarningModel>;

export interface WarningList {
  warnings: WarningRow[];
}

/** A refused CSV import's details: the rows in error. */
export interface ImportErrorDetails {
  rows: { row: number; column: string; message: string }[];
}

// ---- access and health ----------------------------------------------------------------------------------------

export type ApiKeyRow = Jsonified<ApiKeyView>;

/** POST /api/admin/keys: the new key's row and, this once, the key itself. */
export type CreatedApiKey = ApiKeyRow & { key: string };

export interface ApiKeyList {
  keys: ApiKeyRow[];
}

/** POST and GET /api/session (api/routes/sessions.ts): who is signed in; `session` is null for a Bearer key. */
export interface SignedIn {
  keyId: number;
  name: string;
  role: string;
  permissions: string[];
  temporalUi: { url: string; namespace: string } | null;
  session: { id: number; csrfToken: string; createdAt: string; expiresAt: string; idleExpiresAt: string } | null;
}

/** GET /api/admin/sessions: a session as admins see it. */
export type SessionRow = Jsonified<SessionView>;

export interface SessionList {
  sessions: SessionRow[];
}

export type SecurityEventRow = Jsonified<Prisma.SecurityEventModel>;

export interface SecurityEventList {
  events: SecurityEventRow[];
}

/** GET /api/health (api/routes/health.ts). */
export interface Health {
  status: 'ok' | 'degraded';
  database: { ok: boolean; error?: string };
  temporal: { ok: boolean; error?: string };
}
