/**
 * Who holds an API key. A clerk serves customers in a store or on the phone, the warehouse role picks, counts and
 * receives goods, a manager decides (review, refunds, stock corrections, catalogue), and an admin may do everything,
 * including managing keys. What each role may do is the permission matrix in api/permissions.ts.
 */
export const ROLES = ['clerk', 'warehouse', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
