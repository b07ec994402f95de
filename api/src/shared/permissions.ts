import type { StaffRole } from './auth';

/**
 * Per-action staff permissions (SPEC 3.10, seed 004's RBAC). Every `/api/admin/*` route names one;
 * a staff member may call it when their `staff_role` grants it. This table is the only place that
 * says which role may do what — the API and the console both read it.
 */
export const PERMISSIONS = [
  'orders.read',
  'orders.assign',
  'orders.cancel',
  'electricians.read',
  'electricians.verify',
  'complaints.read',
  'complaints.handle',
  'reviews.moderate',
  'refunds.create',
  'finance.read',
  'chat.service',
  'users.read',
  'users.manage',
  'staff.manage',
  'audit.read',
  'stats.read',
  'inventory.read',
  'inventory.manage',
  'catalog.manage',
  'finance.invoices',
  'faq.manage',
  'finance.payouts',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const STAFF_ROLES = ['admin', 'ops_manager', 'agent', 'finance', 'inventory'] as const satisfies readonly StaffRole[];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  ops_manager: [
    'orders.read',
    'orders.assign',
    'orders.cancel',
    'electricians.read',
    'electricians.verify',
    'complaints.read',
    'complaints.handle',
    'reviews.moderate',
    'refunds.create',
    'chat.service',
    'users.read',
    'users.manage',
    'audit.read',
    'stats.read',
    // Operations set the prices customers are quoted against and may look at stock; the stock itself is the storekeeper's.
    'catalog.manage',
    'inventory.read',
    'faq.manage',
  ],
  agent: [
    'orders.read',
    'electricians.read',
    'complaints.read',
    'complaints.handle',
    'reviews.moderate',
    'chat.service',
    'users.read',
    'stats.read',
    // Agents answer customers: they keep the knowledge base the bot answers from.
    'faq.manage',
  ],
  finance: [
    'orders.read',
    'refunds.create',
    'finance.read',
    'complaints.read',
    'stats.read',
    'finance.invoices',
    'finance.payouts',
  ],
  // 库管: the price list, the warehouses, their stock and the parts requests; orders only to read.
  inventory: ['orders.read', 'inventory.read', 'inventory.manage', 'catalog.manage', 'stats.read'],
};

/** Whether a staff role grants a permission; no role (not staff) grants nothing. */
export function can(staffRole: StaffRole | null | undefined, permission: Permission): boolean {
  return staffRole !== null && staffRole !== undefined && ROLE_PERMISSIONS[staffRole].includes(permission);
}

/** Whether a caller is staff whose role grants the permission (a customer or electrician never is). */
export function hasPermission(p: { userType: string; staffRole: StaffRole | null }, permission: Permission): boolean {
  return p.userType === 'admin' && can(p.staffRole, permission);
}

/**
 * What a staff member may do on a route that is not a staff route (`auth: 'user'` or a user type):
 * - `'self'`: act on their own account, as anyone signed in may (profile, notifications, uploads);
 * - a permission, or a list of which any one suffices: act on other people's resources, as staff
 *   holding it (the service decides what that permission lets them do there);
 * - `'none'`: the action has no staff meaning (placing, grabbing or reviewing an order): 403.
 */
export type StaffAccess = 'self' | 'none' | Permission | readonly Permission[];

/** Whether a staff role passes a route's staff access; `self` passes every staff role. */
export function staffAccessAllows(access: StaffAccess, staffRole: StaffRole | null | undefined): boolean {
  if (access === 'self') return true;
  if (access === 'none') return false;
  const needed: readonly Permission[] = typeof access === 'string' ? [access] : access;
  return needed.some((permission) => can(staffRole, permission));
}
