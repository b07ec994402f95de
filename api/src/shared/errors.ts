import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

export interface ErrorDetail {
  path: (string | number)[];
  code?: string;
  message: string;
}

/** The one error type services throw; the error handler turns it into the API.md envelope. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown[]) => new AppError(code, 400, message, details);
export const unauthorized = (message = '请先登录', code = 'UNAUTHORIZED') => new AppError(code, 401, message);
export const forbidden = (message = '没有权限执行此操作', code = 'FORBIDDEN') => new AppError(code, 403, message);
export const notFound = (message = '资源不存在') => new AppError('NOT_FOUND', 404, message);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
/** 429; `retryAfterSeconds` becomes the Retry-After header (unless the rate limiter already set one). */
export const tooManyRequests = (message = '请求过于频繁，请稍后再试', retryAfterSeconds = 60) =>
  Object.assign(new AppError('RATE_LIMITED', 429, message), { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });

export function zodDetails(error: z.ZodError, prefix: string[] = []): ErrorDetail[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    code: i.code,
    message: i.message,
  }));
}

export const validationFailed = (details: ErrorDetail[], message = '请求参数不正确') =>
  new AppError('VALIDATION_FAILED', 400, message, details);

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`接口不存在：${req.method} ${req.path}`));
};

/**
 * Errors Express raises before a handler runs carry a 4xx `status`: a path with a malformed
 * percent-encoding (URIError from the router) is the client's mistake, not a 500.
 */
function fromRouter(err: unknown): AppError | undefined {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  if (err instanceof URIError)
    return validationFailed([{ path: ['params'], message: 'Malformed URL encoding' }], '请求地址不正确');
  return new AppError(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', status, '请求不正确');
}

/** Codes of a database that cannot be reached or has gone away (mysql2 / Node sockets / SQLite locks). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
]);

/**
 * A database outage (connection refused or lost, pool acquisition timed out) is not a bug of the
 * request: it is answered 503 SERVICE_UNAVAILABLE, so clients retry later, instead of 500.
 */
export function unavailable(err: unknown): AppError | undefined {
  const e = err as { name?: string; code?: string; errno?: string | number; fatal?: boolean } | null;
  if (!e || typeof e !== 'object') return undefined;
  // SQLite's extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT) are its lock, too.
  const code = e.code?.startsWith('SQLITE_BUSY') ? 'SQLITE_BUSY' : e.code;
  if (e.name === 'KnexTimeoutError' || (code && UNAVAILABLE_CODES.has(code)) || e.fatal === true)
    return new AppError('SERVICE_UNAVAILABLE', 503, '服务暂时不可用，请稍后重试');
  return undefined;
}

/** body-parser raises errors with a `type`; map the ones a client can cause to 4xx codes. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 413, '请求体过大');
    case 'entity.parse.failed':
      return validationFailed([{ path: ['body'], message: 'Malformed JSON' }], '请求体不是合法的 JSON');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '不支持的请求编码');
    default:
      return undefined;
  }
}

/** What the client is answered for `err`: its status and code (the staff audit log records both). */
export function toAppError(err: unknown): AppError {
  const known =
    err instanceof AppError
      ? err
      : err instanceof z.ZodError
        ? validationFailed(zodDetails(err))
        : (fromBodyParser(err as { type?: string }) ?? fromRouter(err) ?? unavailable(err));
  return known ?? new AppError('INTERNAL', 500, '服务器内部错误，请稍后再试');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  if (appError.status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.debug({ code: appError.code }, appError.message);
  if (res.headersSent) return;
  if (appError.status === 503) res.set('Retry-After', '5');
  const retryAfter = (appError as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retryAfter && res.getHeader('Retry-After') === undefined) res.set('Retry-After', String(retryAfter));
  res.status(appError.status).json({
    success: false,
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
      requestId: req.id,
    },
  });
};
