/**
 * The permission matrix: which roles may do what. Every route under /api names one permission (`allow(…)` in
 * api/auth.ts) before it reads its body; an admin may do everything. test/e2e/access-control.e2e.test.ts walks every
 * route with every role and checks the answers against this table.
 */
import type { Role } from '../access/roles';

/** Every staff role: reading orders, stock and the catalogue is everyday work for all of them. */
const STAFF: readonly Role[] = ['clerk', 'warehouse', 'manager'];
/** Only an admin. */
const ADMIN: readonly Role[] = [];

export const PERMISSIONS = {
  'orders.read': STAFF, // list, view with timeline, pick list
  'orders.create': ['clerk', 'manager'], // intake (channels' keys are clerks)
  'orders.cancel': ['clerk', 'manager'],
  'orders.edit': ['clerk', 'manager'], // address, contact, note before picking; lines before review has decided
  'orders.review': ['manager'], // approve or reject a flagged order
  'orders.backorder': ['manager'], // ship what is there, substitute a SKU
  'orders.pick': ['warehouse', 'manager'],
  'orders.collect': STAFF, // the customer collected a pickup order
  'orders.resolve-exception': ['manager'], // reship, refund or return a parcel to stock
  'returns.read': STAFF,
  'returns.open': ['clerk', 'manager'],
  'returns.decide': ['manager'],
  'returns.receive': ['warehouse', 'manager'],
  'returns.refund': ['manager'],
  'customers.read': STAFF, // search, profile with history (the warehouse sees a masked phone, no email)
  'customers.edit': ['clerk', 'manager'], // profile: name, birthday, consent, tags, notes; feedback
  'customers.merge': ['manager'], // two records found to be one person
  'customers.points': ['manager'], // points added or taken off by hand
  'customers.privacy': ['manager'], // a customer's data exported, or erased, on their request
  'customers.segment': ['manager'], // consenting customers picked for a campaign, and their contacts as CSV
  'customers.read-blocked': ['clerk', 'manager'],
  'customers.block': ['manager'],
  'catalogue.read': STAFF,
  'catalogue.write': ['manager'], // products, locations, product import
  'inventory.read': STAFF, // levels, movements, serials, stock export
  'inventory.receive': ['warehouse', 'manager'],
  'inventory.count': ['warehouse', 'manager'],
  'inventory.write-off': ['manager'],
  'inventory.adjust': ['manager'], // safety stock, stock import
  'inventory.check': ['manager'],
  'repairs.read': ['clerk', 'manager'], // tickets carry the customer's contact: the counter's, not the warehouse's
  'repairs.handle': ['clerk', 'manager'], // take a unit in, record each step
  'promotions.manage': ['manager'], // set up, change and end promotions; issue coupon codes
  'reports.read': ['manager'], // sales and promotion figures
  'pricing.quote': ['clerk', 'manager'], // what a basket will cost (the till's and the channels' preview)
  'transfers.read': STAFF,
  'transfers.move': ['warehouse', 'manager'], // request, ship, receive, cancel
  'warnings.read': STAFF,
  'payloads.decode': ['manager'], // the Temporal Web UI's codec: customer data in clear
  'session.own': STAFF, // who am I (role, permissions, CSRF token), sign out
  'keys.manage': ADMIN,
  'sessions.manage': ADMIN, // list and revoke anyone's sign-in sessions
  'security-events.read': ADMIN,
  // Prometheus's scrape key (GET /api/metrics): business volumes, no customer data. A manager's, not an admin's, so the
  // key kept in Prometheus's config cannot mint keys or revoke sessions.
  'metrics.read': ['manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function mayDo(role: Role, permission: Permission): boolean {
  return role === 'admin' || (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Everything a role may do (GET /api/session tells a console which actions to offer). */
export const permissionsOf = (role: Role): Permission[] =>
  (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => mayDo(role, permission));

/**
 * The routes that need no key: the health check, carrier webhooks (signed with HMAC instead), signing in (the key
 * is in the body), the codec's sign-in page (which signs in through POST /api/session), and the API's own
 * description (the OpenAPI document and its page: no data, only what the routes take and who may call them).
 */
export const PUBLIC_ROUTES = [
  'GET /api/health',
  'POST /api/carriers/:carrier/events',
  'POST /api/session',
  'GET /api/codec/login',
  'GET /api/codec/login.js',
  'GET /api/openapi.json',
  'GET /api/docs',
  // The customer's tracking page: the unguessable token in the path is the key (api/routes/track.ts).
  'GET /track/:token',
  'POST /track/:token/cancel',
  'POST /track/:token/return',
  'POST /track/:token/address',
] as const;
