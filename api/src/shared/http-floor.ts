import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express, RequestHandler } from 'express';

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

/**
 * The node:http server for an Express app, whose requests and responses are born with the app's
 * own prototypes (`app.request`, `app.response`). Express gives every request those prototypes
 * with `Object.setPrototypeOf` as it enters the app; changing a live object's prototype sends V8's
 * objects and the call sites of node:http that touch them down slow paths for the rest of the
 * request. Born with them, that call finds the prototype it would set and changes nothing: the same
 * objects, the same methods, a third of the framework's cost per request on this machine.
 */
export function serverFor(app: Express): http.Server {
  function Request(this: http.IncomingMessage, socket: Socket): void {
    http.IncomingMessage.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: http.ServerResponse, req: http.IncomingMessage, options?: unknown): void {
    (http.ServerResponse as unknown as (this: http.ServerResponse, ...args: unknown[]) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: Request as unknown as typeof http.IncomingMessage,
      ServerResponse: Response as unknown as typeof http.ServerResponse,
    },
    app,
  );
}
