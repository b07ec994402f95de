import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal, StaffRole } from '../../shared/auth';
import { MINUTE, type Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { ROLE_PERMISSIONS, type Permission } from '../../shared/permissions';
import type { StaffActionAudit, StaffRouteDef } from '../../shared/routing';
import type { AuthRepository } from '../auth/auth.repository';
import type { AuthService, ClientMeta } from '../auth/auth.service';
import type { FilesService } from '../files/files.service';
import { avatarUrl } from '../users/avatars';
import type { AuditEntry, AuditLog, StaffAccount, StaffRepository } from './staff.repository';
import type { AuditQuery, CreateStaffBody, UpdateStaffBody } from './staff.schemas';

export const LOCKOUT = { maxFailures: 5, lockMs: 15 * MINUTE } as const;
const BCRYPT_COST = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_COST);
/** Compared against when the username is unknown, so both cases take the same time. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', BCRYPT_COST);

const invalidCredentials = () => unauthorized('用户名或密码错误', 'INVALID_CREDENTIALS');
const lockedError = (until: Date) =>
  new AppError(
    'ACCOUNT_LOCKED',
    423,
    `登录失败次数过多，账号已锁定至 ${until.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`,
  );

const SECRET_KEY = /pass(word)?|secret|token|id_?card/i;
/** What an audit row keeps of a request body: no secrets, short strings, bounded size. */
export function summarize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => summarize(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 3) return '…';
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 50)
        .map(([k, v]) => [k, SECRET_KEY.test(k) ? '[已隐藏]' : summarize(v, depth + 1)]),
    );
  }
  return value;
}

/** The `details` of a staff action: the summary of its body (an object; anything else is wrapped). */
function detailsOf(body: unknown): Record<string, unknown> {
  const summary = summarize(body ?? {});
  return summary !== null && typeof summary === 'object' && !Array.isArray(summary)
    ? (summary as Record<string, unknown>)
    : { body: summary };
}

/** `/api/admin/orders/:id/assign` acts on `orders`. */
const targetTypeOf = (path: string) => path.replace(/^\/api\/admin\//, '').split('/')[0] ?? null;

export interface StaffDeps {
  db: Db;
  staff: StaffRepository;
  sessions: AuthRepository;
  openSession: AuthService['openSession'];
  /** Signs the account's avatar upload for the sign-in response. */
  files: Pick<FilesService, 'refs'>;
  clock: Clock;
  bus: DomainBus;
  logger: Logger;
}

export function createStaffService(d: StaffDeps) {
  const { db, staff, clock } = d;

  const audit = (e: AuditEntry) => staff.insertAudit(e, clock.now());

  /** Who did what to which target, with what (a request that passed the staff guard). */
  const entryOf = (req: Request, def: StaffRouteDef): AuditEntry => {
    const user = req.user;
    const target = req.params.id ?? Object.values(req.params)[0];
    return {
      actorId: user?.id ?? null,
      actorRole: user?.staffRole ?? null,
      action: def.auth.permission,
      method: def.method.toUpperCase(),
      route: def.path,
      targetType: targetTypeOf(def.path),
      targetId: typeof target === 'string' ? target : null,
      details: detailsOf(req.valid?.body ?? req.body),
      requestId: typeof req.id === 'string' ? req.id : req.id === undefined ? null : String(req.id),
      ip: req.ip ?? null,
    };
  };

  async function getStaff(id: number): Promise<StaffAccount> {
    const s = await staff.findById(id);
    if (!s || s.userType !== 'admin') throw notFound('员工不存在');
    return s;
  }

  return {
    async login(body: { username: string; password: string }, meta: ClientMeta & { requestId?: string }) {
      const now = clock.now();
      const account = await staff.findByUsername(body.username);
      /** Audits a refused sign-in and returns the refusal, to be thrown. */
      const fail = async (reason: string, error: AppError): Promise<AppError> => {
        await audit({
          actorId: account?.id ?? null,
          actorRole: account?.staffRole ?? null,
          action: 'staff.login_failed',
          targetType: 'staff',
          targetId: account ? String(account.id) : null,
          details: { username: body.username, reason },
          requestId: meta.requestId,
          ip: meta.ip,
          outcome: 'failed',
          statusCode: error.status,
          errorCode: error.code,
        });
        return error;
      };

      if (account?.lockedUntil && account.lockedUntil > now) throw await fail('locked', lockedError(account.lockedUntil));
      const matches = await bcrypt.compare(body.password, account?.passwordHash ?? DUMMY_HASH);
      if (!account || !account.passwordHash || !matches) {
        if (account) {
          await staff.recordFailure(account.id, LOCKOUT.maxFailures, now, new Date(now.getTime() + LOCKOUT.lockMs));
          const after = await staff.findById(account.id);
          if (after?.lockedUntil && after.lockedUntil > now) throw await fail('locked_now', lockedError(after.lockedUntil));
        }
        throw await fail(account ? 'wrong_password' : 'unknown_username', invalidCredentials());
      }
      if (account.status === 'banned') throw await fail('disabled', forbidden('账号已停用，请联系管理员'));
      if (account.userType !== 'admin' || !account.staffRole) throw await fail('not_staff', forbidden('该账号不是员工账号'));
      await staff.recordSuccess(account.id, now);
      const session = await d.openSession(account.id, meta);
      await audit({
        actorId: account.id,
        actorRole: account.staffRole,
        action: 'staff.login',
        targetType: 'staff',
        targetId: String(account.id),
        details: { username: account.username },
        requestId: meta.requestId,
        ip: meta.ip,
        outcome: 'succeeded',
        statusCode: 200,
      });
      const fresh = await getStaff(account.id);
      return {
        ...session,
        userType: 'admin' as const,
        isNewUser: false as const,
        user: { ...fresh, avatarUrl: await avatarUrl((ids) => d.files.refs(ids), fresh) },
        permissions: [...ROLE_PERMISSIONS[account.staffRole]] as Permission[],
      };
    },

    async list(q: PageQuery & { keyword?: string; staffRole?: StaffRole }): Promise<Page<StaffAccount>> {
      const { items, total } = await staff.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    async create(body: CreateStaffBody): Promise<StaffAccount> {
      const passwordHash = await hashPassword(body.password);
      try {
        const id = await staff.insertStaff(
          { username: body.username, passwordHash, staffRole: body.staffRole, name: body.name ?? null },
          clock.now(),
        );
        return await getStaff(id);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('USERNAME_TAKEN', '该用户名已被使用');
        throw err;
      }
    },

    /** Role changes apply on the next request (roles are read from the database every time). */
    async update(actor: Principal, id: number, body: UpdateStaffBody): Promise<StaffAccount> {
      // Nobody demotes or disables themselves: the last admin cannot lock everyone out.
      if (actor.id === id && (body.staffRole !== undefined || body.status !== undefined)) {
        throw conflict('CANNOT_CHANGE_SELF', '不能修改自己的角色或状态');
      }
      await getStaff(id);
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      const now = clock.now();
      const reason = body.status === 'banned' ? 'banned' : passwordHash && actor.id !== id ? 'password' : null;
      await db.transaction(async (trx) => {
        await staff.update(id, { staffRole: body.staffRole, status: body.status, name: body.name, passwordHash }, now, trx);
        if (reason) {
          await d.sessions.revokeAllForUser(id, reason, now, trx);
          await d.bus.stage(trx, { name: 'session.ended', userId: id, sessionId: null, reason });
        }
        if (body.staffRole !== undefined)
          await d.bus.stage(trx, { name: 'staff.role_changed', userId: id, staffRole: body.staffRole });
      });
      return getStaff(id);
    },

    /**
     * The write-ahead row of a staff action that came over the socket rather than a route (support
     * chat's send_message and read): `pending` before it runs — if it cannot be written, the error
     * goes up and the action is refused —, its outcome then recorded with `actionAudit.finish`.
     */
    async beginSocketAction(a: {
      actor: Pick<Principal, 'id' | 'staffRole'>;
      permission: Permission;
      /** The client event, e.g. `send_message`. */
      event: string;
      targetType: string;
      targetId: string | null;
      payload: unknown;
      ip: string | null;
    }): Promise<number> {
      const entry: AuditEntry = {
        actorId: a.actor.id,
        actorRole: a.actor.staffRole,
        action: a.permission,
        method: 'SOCKET',
        route: a.event,
        targetType: a.targetType,
        targetId: a.targetId,
        details: detailsOf(a.payload),
        requestId: null,
        ip: a.ip,
        outcome: 'pending',
      };
      try {
        return await audit(entry);
      } catch (err) {
        d.logger.error({ err, audit: entry }, 'audit log write failed: the staff action is refused');
        throw err;
      }
    },

    async auditLogs(q: AuditQuery): Promise<Page<AuditLog>> {
      const { items, total } = await staff.listAudit({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * The write-ahead audit of staff actions, which RouteTable drives for every staff route with a
     * non-GET method (see StaffActionAudit for what is and is not recorded): a `pending` row
     * committed before the handler runs — if it cannot be written, the error goes up and the action
     * is refused —, then the outcome on that row. A failure to record the outcome is logged, not
     * thrown: the action itself has ended and the caller must get its real answer; the row stays
     * pending, which reads "outcome unknown, check the target", the truth as far as the log knows.
     */
    actionAudit: {
      async begin(req, def) {
        const entry = { ...entryOf(req, def), outcome: 'pending' as const };
        try {
          return await audit(entry);
        } catch (err) {
          d.logger.error({ err, audit: entry }, 'audit log write failed: the staff action is refused');
          throw err;
        }
      },
      async finish(id, result) {
        try {
          if (!(await staff.finishAudit(id, result, clock.now())))
            d.logger.error({ auditId: id, result }, 'audit row to finish is not pending');
        } catch (err) {
          d.logger.error({ err, auditId: id, result }, 'audit outcome write failed: the row stays pending');
        }
      },
      async refused(req, def, result) {
        const entry = { ...entryOf(req, def), ...result };
        try {
          await audit(entry);
        } catch (err) {
          d.logger.error({ err, audit: entry }, 'audit log write of a refused staff action failed');
        }
      },
    } satisfies StaffActionAudit,
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
