import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AuthGuards, Principal, Role } from './auth';
import { toAppError } from './errors';
import { can, type Permission, type StaffAccess } from './permissions';
import { validate, type RequestSchemas } from './validate';
import { paginationQuery, type Page } from './pagination';
import { isRateLimiter } from './rate-limit';

/**
 * A route table entry: the path, its guard, its schemas and its controller handler. The same entry
 * mounts the Express route and documents it in OpenAPI, so the two cannot drift apart.
 */
export interface RouteDef {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  /**
   * 'public', any signed-in user, one of the listed user types, or staff whose role grants the
   * permission (every `/api/admin/*` route uses the last).
   */
  auth: 'public' | 'user' | Role[] | { permission: Permission };
  /**
   * On a route that is not a staff route, what a staff caller may do there (see StaffAccess);
   * unset means `'none'`: staff get 403. Staff routes (`auth: {permission}`) need no entry.
   */
  staff?: StaffAccess;
  schemas?: RequestSchemas;
  /** The `data` of a success envelope, for the document. */
  response?: z.ZodType;
  /** Success status; 204 sends no body. */
  status?: number;
  /** Extra middleware run after the guard and before validation (rate limits, raw body). */
  before?: RequestHandler[];
  /** A multipart/form-data body for the document; a `before` middleware parses and validates it. */
  multipart?: z.ZodType;
  handler: (req: Request, res: Response) => unknown;
}

/** The first two segments of a path: `/api/orders/12/grab` → `/api/orders`. */
function groupOf(path: string): string {
  const second = path.indexOf('/', 1);
  if (second < 0) return path;
  const third = path.indexOf('/', second + 1);
  return third < 0 ? path : path.slice(0, third);
}

/** Marks a handler result as a page: it is sent with `pagination`. */
export class Paged<T> {
  constructor(readonly page: Page<T>) {}
}
export const paged = <T>(page: Page<T>) => new Paged(page);

/**
 * A value already written as JSON, sent as it is inside a page's `data`: a view a module keeps
 * serialized because it is sent far more often than it changes (the hall's orders). Its parts are
 * written one after the other: text of the moment, and bytes kept encoded (UTF-8) so that a page
 * copies them instead of encoding them again.
 */
export class JsonText {
  readonly parts: readonly (string | Buffer)[];
  constructor(...parts: (string | Buffer)[]) {
    this.parts = parts;
  }
}

const PAGE_HEAD = Buffer.from('{"success":true,"data":[');

/**
 * The body of a page: its items written out once each, the envelope around them. A page of
 * JsonText items is assembled as bytes, in one buffer of the exact size.
 */
function pageBody<T>({ items, page, limit, total }: Page<T>): string | Buffer {
  const tail = `],"pagination":${JSON.stringify({ page, limit, total })}}`;
  if (!items.some((i) => i instanceof JsonText))
    return `{"success":true,"data":[${items.map((i) => JSON.stringify(i)).join(',')}${tail}`;
  const parts: (string | Buffer)[] = [PAGE_HEAD];
  items.forEach((item, n) => {
    if (n > 0) parts.push(',');
    if (item instanceof JsonText) parts.push(...item.parts);
    else parts.push(JSON.stringify(item));
  });
  parts.push(tail);
  let size = 0;
  for (const part of parts) size += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) at += typeof part === 'string' ? body.write(part, at) : part.copy(body, at);
  return body;
}

const envelope = (data: z.ZodType) => z.object({ success: z.literal(true), data });
const pagination = z
  .object({ page: z.number().int(), limit: z.number().int(), total: z.number().int() })
  .meta({ id: 'Pagination' });
const pagedEnvelope = (items: z.ZodType) => z.object({ success: z.literal(true), data: items, pagination });
const errorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.unknown()).optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** A route whose guard is a staff permission. */
export type StaffRouteDef = RouteDef & { auth: { permission: Permission } };
export const isStaffRoute = (def: RouteDef): def is StaffRouteDef => typeof def.auth === 'object' && !Array.isArray(def.auth);

/** How a staff action ended, as its audit row records it: the HTTP status, and the error code of a failure. */
export interface StaffActionResult {
  outcome: 'succeeded' | 'failed';
  statusCode: number;
  errorCode: string | null;
}

/**
 * The write-ahead audit log of staff actions: every request by a staff member with any method but
 * GET, whichever route it comes through (a staff route, or a customer route where the staff access
 * let them in, e.g. cancelling an order with `orders.cancel`). Recorded: every such request that
 * passed the guards — as `pending` before its handler runs, then `succeeded` or `failed` once it
 * has run; and, as `failed` at once, a request its validation refused (no handler ran). Not
 * recorded: reads (GET); callers the guards refused (anonymous, bad token, staff without the
 * permission: 401/403, they acted as nobody's staff); requests refused before routing (malformed
 * JSON, oversized body) or by a route's `before` middleware (rate limits, raw bodies).
 */
export interface StaffActionAudit {
  /**
   * Writes the row as `pending` and returns its id. If it throws, the handler is not run and the
   * error is answered (503 for a database outage, else 500): an unaudited staff action is worse
   * than a refused one.
   */
  begin(req: Request, def: RouteDef): Promise<number>;
  /** Records the outcome on a pending row. Never throws: a row it could not update stays pending (outcome unknown). */
  finish(id: number, result: StaffActionResult): Promise<void>;
  /** One `failed` row for a request refused by validation. Never throws: nothing was done, the refusal is answered anyway. */
  refused(req: Request, def: RouteDef, result: StaffActionResult): Promise<void>;
}

/** Whether this request is a staff action to audit: a staff member's non-GET call on a guarded route. */
const isStaffAction = (req: Request, def: RouteDef) =>
  def.method !== 'get' && def.auth !== 'public' && req.user?.userType === 'admin';

/**
 * The audit log's `action` for a staff request: the permission it was let in by (the staff route's,
 * or the first of the route's staff access that the caller holds), else `self` (their own account).
 */
export function staffActionOf(def: RouteDef, staffRole: Principal['staffRole'] | undefined): string {
  if (isStaffRoute(def)) return def.auth.permission;
  const access = def.staff ?? 'none';
  if (access === 'self' || access === 'none') return access;
  const needed: readonly Permission[] = typeof access === 'string' ? [access] : access;
  return needed.find((permission) => can(staffRole, permission)) ?? needed[0]!;
}

const failure = (err: unknown): StaffActionResult => {
  const e = toAppError(err);
  return { outcome: 'failed', statusCode: e.status, errorCode: e.code };
};

export class RouteTable {
  readonly registry = new OpenAPIRegistry();
  /** Every mounted route, in order: tests walk it so a new route cannot be left out of them. */
  readonly defs: RouteDef[] = [];

  /**
   * The routes by the first two segments of their path (`/api/orders`), each group in a router of
   * its own: a request is matched against its group's routes only, not against every route mounted
   * before its own (Express tries them one by one: about 0.3 µs each, 140 of them). Every path starts
   * with two literal segments, so no route can match outside its group.
   */
  private readonly groups = new Map<string, Router>();

  constructor(
    private readonly router: Router,
    private readonly guards: AuthGuards,
    private readonly audit?: StaffActionAudit,
  ) {
    // Paths match case-insensitively, as Express's routers do.
    router.use((req, res, next) => {
      const group = this.groups.get(groupOf(req.path).toLowerCase());
      if (group) group(req, res, next);
      else next();
    });
    this.registry.registerComponent('securitySchemes', 'bearerAuth', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const [name, response] of Object.entries(ERROR_RESPONSES))
      this.registry.registerComponent('responses', name, {
        description: response.description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      });
  }

  add(defs: RouteDef[]): void {
    for (const def of defs) this.mount(def);
  }

  private mount(def: RouteDef): void {
    this.defs.push(def);
    const chain: RequestHandler[] = [];
    const staffAccess = this.guards.staffAccess(def.staff ?? 'none');
    if (def.auth === 'user') chain.push(this.guards.requireAuth, staffAccess);
    else if (Array.isArray(def.auth)) chain.push(this.guards.requireAuth, this.guards.requireRole(...def.auth), staffAccess);
    else if (def.auth !== 'public') chain.push(this.guards.requireAuth, this.guards.requirePermission(def.auth.permission));
    chain.push(...(def.before ?? []));
    const audit = def.method !== 'get' && def.auth !== 'public' ? this.audit : undefined;
    if (def.schemas) {
      const check = validate(def.schemas);
      chain.push(audit ? auditRefusals(check, audit, def) : check);
    }
    const status = def.status ?? 200;
    chain.push(async (req, res) => {
      // Write-ahead: the row is committed before the action starts, so a process killed at any
      // moment leaves at least a pending row. If it cannot be written, the action does not run.
      const auditId = audit && isStaffAction(req, def) ? await audit.begin(req, def) : undefined;
      let result: unknown;
      try {
        result = await def.handler(req, res);
      } catch (err) {
        if (auditId !== undefined) await audit!.finish(auditId, failure(err));
        throw err;
      }
      if (auditId !== undefined)
        await audit!.finish(auditId, {
          outcome: 'succeeded',
          statusCode: res.headersSent ? res.statusCode : status,
          errorCode: null,
        });
      if (res.headersSent) return;
      if (status === 204) res.status(204).end();
      else if (result instanceof Paged) res.status(status).type('json').send(pageBody(result.page));
      else res.status(status).json({ success: true, data: result ?? {} });
    });
    const key = groupOf(def.path).toLowerCase();
    if (def.path.slice(0, key.length).includes(':')) throw new Error(`route ${def.path}: its first two segments must be literal`);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = Router()));
    group[def.method](def.path, ...chain);
    this.document(def, status);
  }

  private document(def: RouteDef, status: number): void {
    const request: RouteConfig['request'] = {};
    const { body, query, params } = def.schemas ?? {};
    if (body) request.body = { content: { 'application/json': { schema: body } } };
    if (def.multipart) request.body = { content: { 'multipart/form-data': { schema: def.multipart } } };
    if (query instanceof z.ZodObject) request.query = query;
    if (params instanceof z.ZodObject) request.params = params;
    const data = def.response ?? z.unknown();
    const responses: RouteConfig['responses'] = {
      [status]:
        status === 204
          ? { description: 'No content' }
          : {
              description: 'Success',
              content: { 'application/json': { schema: isPaged(def) ? pagedEnvelope(data) : envelope(data) } },
            },
      ...errorResponses(def),
      default: {
        description: 'Any other error (a conflict of state is 409, an outage 503): the error envelope',
        content: { 'application/json': { schema: errorEnvelope } },
      },
    };
    this.registry.registerPath({
      method: def.method,
      path: openApiPath(def.path),
      operationId: operationId(def),
      summary: def.summary,
      tags: def.tags,
      security: def.auth === 'public' ? [] : [{ bearerAuth: [] }],
      ...(typeof def.auth === 'object' && !Array.isArray(def.auth) ? { 'x-permission': def.auth.permission } : {}),
      ...(def.auth === 'user' || Array.isArray(def.auth) ? { 'x-staff-access': def.staff ?? 'none' } : {}),
      request,
      responses,
    });
  }

  openApiDocument(): object {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: '电工维修平台 API',
        version: '1.0.0',
        description: 'REST API of the repair-order platform. Money is integer fen; times are ISO-8601 UTC.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
    });
  }
}

/** `/api/orders/:id` as OpenAPI writes it: `/api/orders/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The operation's id, from its method and path: `get /api/admin/orders/:id/payments` is
 * `getAdminOrdersByIdPayments`. Stable (it changes only with the route), camelCase, and unique
 * because method and path are (a test checks).
 */
export function operationId(def: Pick<RouteDef, 'method' | 'path'>): string {
  const words = def.path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .flatMap((segment) => (segment.startsWith(':') ? ['by', ...segment.slice(1).split(/[-_]/)] : segment.split(/[-_.]/)))
    .filter(Boolean);
  return def.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/**
 * A route answered as a page (`data` the items, beside `pagination`): its query takes the shared
 * page and limit, and its response is a list.
 */
const isPaged = (def: RouteDef) => {
  const query = def.schemas?.query;
  return query instanceof z.ZodObject && query.shape.page === paginationQuery.shape.page && def.response instanceof z.ZodArray;
};

/** The errors every route of a kind is answered with, as shared response components. */
const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    description: 'VALIDATION_FAILED: the path, query or body does not match its schema; `details` lists each problem',
  },
  Unauthorized: { status: 401, description: 'UNAUTHORIZED: no bearer token, or one that is invalid, expired or revoked' },
  Forbidden: {
    status: 403,
    description: 'FORBIDDEN: the account is banned, or its type or staff permission does not allow this route',
  },
  NotFound: { status: 404, description: 'NOT_FOUND: nothing the caller may see has this id' },
  TooManyRequests: {
    status: 429,
    description: 'RATE_LIMITED: too many requests in the window; Retry-After tells when to try again',
  },
} as const;

/**
 * The 4xx answers a route's definition makes certain: a guard answers 401 and 403 (a banned
 * account; a missing staff permission); a schema 400; a path parameter names something that may
 * not exist, 404; a rate limiter 429. What only a handler knows (a 409 conflict of state, a
 * service's own 403) falls under `default`.
 */
function errorResponses(def: RouteDef): RouteConfig['responses'] {
  const ref = (name: keyof typeof ERROR_RESPONSES) => ({
    [ERROR_RESPONSES[name].status]: { $ref: `#/components/responses/${name}` },
  });
  return {
    ...(def.schemas || def.multipart ? ref('BadRequest') : {}),
    ...(def.auth !== 'public' ? { ...ref('Unauthorized'), ...ref('Forbidden') } : {}),
    ...(def.path.includes('/:') ? ref('NotFound') : {}),
    ...(def.before?.some(isRateLimiter) ? ref('TooManyRequests') : {}),
  };
}

/** Runs a route's validation; a staff request it refuses is recorded as a failed staff action before it is answered. */
function auditRefusals(check: RequestHandler, audit: StaffActionAudit, def: RouteDef): RequestHandler {
  return (req, res, next) =>
    check(req, res, (err?: unknown) => {
      if (err === undefined || err === 'route' || err === 'router' || !isStaffAction(req, def)) return next(err);
      const answer = () => next(err);
      void audit.refused(req, def, failure(err)).then(answer, answer);
    });
}
