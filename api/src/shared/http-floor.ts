import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

type Step = readonly ['set', string, string | number | readonly string[]] | readonly ['remove', string];

/**
 * A header middleware whose headers never depend on the request (helmet as configured here),
 * run once against a recording response; the result sets the very same headers, in the same order,
 * without running it again for every request.
 */
export function precomputedHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void,
): RequestHandler {
  const steps: Step[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      steps.push(['set', name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      steps.push(['remove', name]);
    },
  };
  let failed: unknown;
  let called = false;
  middleware(
    { headers: {}, method: 'GET', url: '/' } as IncomingMessage,
    recorder as unknown as ServerResponse,
    (err?: unknown) => {
      called = true;
      failed = err;
    },
  );
  if (!called || failed) throw new Error('the header middleware did not finish synchronously without an error');
  return (_req, res, next) => {
    for (const step of steps) {
      if (step[0] === 'set') res.setHeader(step[1], step[2]);
      else res.removeHeader(step[1]);
    }
    next();
  };
}

/**
 * Runs a body parser only for requests that have a body (as body-parser decides: a
 * Transfer-Encoding or a numeric Content-Length, type-is' `hasBody`); the others pass as the parser would let them:
 * with `req.body` undefined.
 */
export function whenBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length'])))
      return parser(req, res, next);
    if (!('body' in req)) (req as { body?: unknown }).body = undefined;
    next();
  };
}
