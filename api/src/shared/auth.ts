import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from './errors';
import { can, staffAccessAllows, type Permission, type StaffAccess } from './permissions';

export type Role = 'user' | 'electrician' | 'admin';
export type StaffRole = 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory';

/** Who is calling, as the database says now (role and status are never taken from the token). */
export interface Principal {
  id: number;
  openid: string;
  userType: Role;
  staffRole: StaffRole | null;
  sessionId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
  }
}

export interface AuthGuards {
  requireAuth: RequestHandler;
  requireRole(...roles: Role[]): RequestHandler;
  /** Staff (user type admin) whose staff role grants the permission. */
  requirePermission(permission: Permission): RequestHandler;
  /** On a route for everyone signed in: lets other callers through, and staff only as `access` allows. */
  staffAccess(access: StaffAccess): RequestHandler;
}

/** `authenticate` resolves a bearer token to a principal or throws 401/403. */
export function createAuthGuards(authenticate: (token: string) => Promise<Principal>): AuthGuards {
  const requireAuth: RequestHandler = async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) return next(unauthorized());
    req.user = await authenticate(match[1]);
    next();
  };
  const requireRole =
    (...roles: Role[]): RequestHandler =>
    (req, _res, next) => {
      if (!req.user) return next(unauthorized());
      if (!roles.includes(req.user.userType)) return next(forbidden());
      next();
    };
  const requirePermission =
    (permission: Permission): RequestHandler =>
    (req, _res, next) => {
      if (!req.user) return next(unauthorized());
      if (req.user.userType !== 'admin' || !can(req.user.staffRole, permission)) return next(forbidden());
      next();
    };
  const staffAccess =
    (access: StaffAccess): RequestHandler =>
    (req, _res, next) => {
      if (!req.user) return next(unauthorized());
      if (req.user.userType === 'admin' && !staffAccessAllows(access, req.user.staffRole))
        return next(forbidden(access === 'none' ? '员工账号不能执行此操作' : undefined));
      next();
    };
  return { requireAuth, requireRole, requirePermission, staffAccess };
}

/** The principal of a guarded route; guards have run, so it is present. */
export function principal(req: { user?: Principal }): Principal {
  if (!req.user) throw unauthorized();
  return req.user;
}
