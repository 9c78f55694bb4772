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
  'transfers.read': STAFF,
  'transfers.move': ['warehouse', 'manager'], // request, ship, receive, cancel
  'warnings.read': STAFF,
  'payloads.decode': ['manager'], // the Temporal Web UI's codec: customer data in clear
  'keys.manage': ADMIN,
  'security-events.read': ADMIN,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function mayDo(role: Role, permission: Permission): boolean {
  return role === 'admin' || (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * The routes that need no key: the health check, carrier webhooks (signed with HMAC instead), and the codec's
 * sign-in page and sign-out (the codec itself checks the key from its cookie).
 */
export const PUBLIC_ROUTES = [
  'GET /api/health',
  'POST /api/carriers/:carrier/events',
  'GET /api/codec/login',
  'GET /api/codec/login.js',
  'DELETE /api/codec/session',
] as const;
