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
export const tooManyRequests = (message = '请求过于频繁，请稍后再试') => new AppError('RATE_LIMITED', 429, message);

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

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known =
    err instanceof AppError
      ? err
      : err instanceof z.ZodError
        ? validationFailed(zodDetails(err))
        : fromBodyParser(err as { type?: string });
  const appError = known ?? new AppError('INTERNAL', 500, '服务器内部错误，请稍后再试');
  if (appError.status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.debug({ code: appError.code }, appError.message);
  if (res.headersSent) return;
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
