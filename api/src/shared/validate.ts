import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { validationFailed, zodDetails, type ErrorDetail } from './errors';

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
export interface Valid<S extends RequestSchemas> {
  body: Out<S['body']>;
  query: Out<S['query']>;
  params: Out<S['params']>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Parsed request parts, set by validate(); Express 5 makes req.query read-only. */
    valid?: { body?: unknown; query?: unknown; params?: unknown };
  }
}

/** Validates body, query and params together so a client sees every problem in one answer. */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, _res, next) => {
    const details: ErrorDetail[] = [];
    const valid: Record<string, unknown> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = schema.safeParse(part === 'body' ? (req.body ?? {}) : req[part]);
      if (result.success) valid[part] = result.data;
      else details.push(...zodDetails(result.error, [part]));
    }
    if (details.length > 0) return next(validationFailed(details));
    req.valid = valid;
    next();
  };
}

/** The parsed parts of a request validated with `schemas`. */
export function valid<S extends RequestSchemas>(req: Request, _schemas: S): Valid<S> {
  return (req.valid ?? {}) as Valid<S>;
}
