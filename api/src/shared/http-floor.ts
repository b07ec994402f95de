import http, { type IncomingMessage, type ServerResponse } from 'node:http';
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
 * own prototypes. Express gives every request `app.request` and `app.response` with
 * `Object.setPrototypeOf` as it enters the app; on Node 20, changing a live object's prototype sends
 * V8's objects and the call sites of node:http that touch them down slow paths for the rest of the
 * request. Here node:http builds them from subclasses of its own classes whose prototypes are
 * re-parented onto the app's and become the app's: Express's call then finds the prototype it would
 * set and changes nothing. The same methods and properties, a third of the framework's cost per
 * request on Node 20; subclasses (not plain constructors calling node's) cost nothing on Node 24,
 * where plain Express does not pay it.
 */
export function serverFor(app: Express): http.Server {
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse {}
  Object.setPrototypeOf(Request.prototype, app.request);
  Object.setPrototypeOf(Response.prototype, app.response);
  app.request = Request.prototype as Express['request'];
  app.response = Response.prototype as Express['response'];
  return http.createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
}
