import bcrypt from 'bcryptjs';
import type { Request } from 'express';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal, StaffRole } from '../../shared/auth';
import { MINUTE, type Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, conflict, forbidden, notFound, toAppError, unauthorized } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { ROLE_PERMISSIONS, type Permission } from '../../shared/permissions';
import { addressKey } from '../../shared/rate-limit';
import { staffActionOf, type RouteDef, type StaffActionAudit } from '../../shared/routing';
import type { AuthService, ClientMeta, SessionsPort } from '../auth';
import type { FilesService } from '../files';
import { avatarUrl } from '../users';
import type { AuditEntry, AuditLog, AuditResult, StaffAccount, StaffRepository } from './staff.repository';
import type { AuditQuery, CreateStaffBody, UpdateStaffBody } from './staff.schemas';

export const LOCKOUT = { maxFailures: 5, lockMs: 15 * MINUTE } as const;
const BCRYPT_COST = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_COST);
/** Compared against when the username is unknown, so both cases take the same time. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', BCRYPT_COST);

const invalidCredentials = () => unauthorized('用户名或密码错误', 'INVALID_CREDENTIALS');
/** The same for every username, existing or not: the lock is on (username, address), not on an account. */
const lockedError = (until: Date) =>
  new AppError(
    'ACCOUNT_LOCKED',
    423,
    `登录失败次数过多，请于 ${until.toISOString().slice(0, 16).replace('T', ' ')} (UTC) 后再试`,
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
const targetTypeOf = (path: string) => path.replace(/^\/api\/(admin\/)?/, '').split('/')[0] || null;

export interface StaffDeps {
  db: Db;
  staff: StaffRepository;
  sessions: SessionsPort;
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
  const entryOf = (req: Request, def: RouteDef): AuditEntry => {
    const user = req.user;
    const target = req.params.id ?? Object.values(req.params)[0];
    return {
      actorId: user?.id ?? null,
      actorRole: user?.staffRole ?? null,
      action: staffActionOf(def, user?.staffRole),
      method: def.method.toUpperCase(),
      route: def.path,
      targetType: targetTypeOf(def.path),
      targetId: typeof target === 'string' ? target : null,
      details: detailsOf(req.valid?.body ?? req.body),
      requestId: typeof req.id === 'string' ? req.id : req.id === undefined ? null : String(req.id),
      ip: req.ip ?? null,
    };
  };

  /** Writes a write-ahead (`pending`) row and answers its id; if it cannot, the error goes up and the action is refused. */
  async function beginAudit(entry: AuditEntry & { outcome: 'pending' }): Promise<number> {
    try {
      return await audit(entry);
    } catch (err) {
      d.logger.error({ err, audit: entry }, 'audit log write failed: the staff action is refused');
      throw err;
    }
  }

  /** Records how a write-ahead row's action ended; never throws (a row it cannot finish stays pending: outcome unknown). */
  async function finishAudit(id: number, result: AuditResult): Promise<void> {
    try {
      if (!(await staff.finishAudit(id, result, clock.now())))
        d.logger.error({ auditId: id, result }, 'audit row to finish is not pending');
    } catch (err) {
      d.logger.error({ err, auditId: id, result }, 'audit outcome write failed: the row stays pending');
    }
  }

  async function getStaff(id: number): Promise<StaffAccount> {
    const s = await staff.findById(id);
    if (!s || s.userType !== 'admin') throw notFound('员工不存在');
    return s;
  }

  return {
    /**
     * A web sign-in, audited write-ahead like the staff actions: a `pending` `staff.login` row is
     * committed before the credentials are looked at (no row, no sign-in: the error is answered),
     * then finished as `succeeded` (200) or `failed` with the refusal's status and code (401 wrong
     * password or unknown username, 423 locked, 403 disabled or not staff). A row left pending is a
     * sign-in the process died during: it may have opened a session.
     */
    async login(body: { username: string; password: string }, meta: ClientMeta & { requestId?: string }) {
      const now = clock.now();
      const account = await staff.findByUsername(body.username);
      const auditId = await beginAudit({
        actorId: account?.id ?? null,
        actorRole: account?.staffRole ?? null,
        action: 'staff.login',
        targetType: 'staff',
        targetId: account ? String(account.id) : null,
        details: { username: body.username },
        requestId: meta.requestId,
        ip: meta.ip,
        outcome: 'pending',
      });
      try {
        // Failures count per (username as typed, address), whether or not the username exists: an
        // unknown username answers exactly like a known one (401, then 423 after the same count),
        // after the same work (a bcrypt comparison, against a dummy hash), and a stranger's failures
        // lock the username only from the stranger's address (an IPv6 address: its /64, see addressKey).
        const key = { username: body.username.toLowerCase(), ip: addressKey(meta.ip) };
        const lock = await staff.lockOf(key, now);
        if (lock) throw lockedError(lock);
        const matches = await bcrypt.compare(body.password, account?.passwordHash ?? DUMMY_HASH);
        if (!account || !account.passwordHash || !matches) {
          const locked = await staff.recordFailure(key, LOCKOUT.maxFailures, now, new Date(now.getTime() + LOCKOUT.lockMs));
          throw locked ? lockedError(locked) : invalidCredentials();
        }
        if (account.status === 'banned') throw forbidden('账号已停用，请联系管理员');
        if (account.userType !== 'admin' || !account.staffRole) throw forbidden('该账号不是员工账号');
        await staff.recordSuccess(account.id, key, now);
        const session = await d.openSession(account.id, meta);
        const fresh = await getStaff(account.id);
        const result = {
          ...session,
          userType: 'admin' as const,
          isNewUser: false as const,
          user: { ...fresh, avatarUrl: await avatarUrl((ids) => d.files.refs(ids), fresh) },
          permissions: [...ROLE_PERMISSIONS[account.staffRole]] as Permission[],
        };
        await finishAudit(auditId, { outcome: 'succeeded', statusCode: 200, errorCode: null });
        return result;
      } catch (err) {
        const e = toAppError(err);
        await finishAudit(auditId, { outcome: 'failed', statusCode: e.status, errorCode: e.code });
        throw err;
      }
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

    /** Role changes apply on the next request on every instance (the staged events make them forget the cached session checks). */
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
      begin: (req, def) => beginAudit({ ...entryOf(req, def), outcome: 'pending' }),
      finish: finishAudit,
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
