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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const STAFF_ROLES = ['admin', 'ops_manager', 'agent', 'finance'] as const satisfies readonly StaffRole[];

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
  ],
  finance: ['orders.read', 'refunds.create', 'finance.read', 'complaints.read', 'stats.read'],
};

/** Whether a staff role grants a permission; no role (not staff) grants nothing. */
export function can(staffRole: StaffRole | null | undefined, permission: Permission): boolean {
  return staffRole !== null && staffRole !== undefined && ROLE_PERMISSIONS[staffRole].includes(permission);
}
