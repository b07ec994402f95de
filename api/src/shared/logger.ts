import { randomUUID } from 'node:crypto';
import { IncomingMessage, type ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger };

/** JSON logs to stdout, or to `destination` (tests read what would have been written). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'repair-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["wechatpay-signature"]',
          '*.refreshToken',
          '*.token',
          '*.password',
          '*.idCard',
          '*.verifyCode',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request logger of the middleware that saw this request (see `req.log` below). */
const BASE = Symbol('request logger');
const CHILD = Symbol('request child logger');
type Logged = IncomingMessage & { [BASE]?: Logger; [CHILD]?: Logger; originalUrl?: string };

/** What a request log line says about the request: its id, method and URL (never headers or body). */
const leanReq = (req: Logged) => ({ id: req.id, method: req.method, url: req.originalUrl ?? req.url });

// `req.log` is made on first use: building a child logger serializes its bindings at once, and most
// requests never log (a success is logged at debug). Defined once on the prototype every request shares;
// assigning `req.log` still works (it then becomes the request's own property).
Object.defineProperty(IncomingMessage.prototype, 'log', {
  configurable: true,
  get(this: Logged) {
    const base = this[BASE];
    if (!base) return undefined;
    return (this[CHILD] ??= base.child({ req: this }));
  },
  set(this: Logged, value: Logger) {
    Object.defineProperty(this, 'log', { value, writable: true, configurable: true, enumerable: true });
  },
});

const levelOf = (res: ServerResponse, err: unknown): pino.Level => {
  if (err || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'info';
  return 'debug';
};

/**
 * JSON request logs as pino-http writes them (`request completed` / `request errored` with `req`
 * {id, method, url}, `res`, `responseTime`; /healthz and /metrics not logged), for the cost of what
 * is written: the request id is taken from a proxy's X-Request-Id when it looks sane, else a UUID,
 * and set on the answer; the request's child logger is built only when something logs, and the
 * completion line only when its level is enabled.
 */
export function httpLogger(logger: Logger) {
  // pino-http's logger for its res and err serializers (and the app logger's redaction), with a
  // request serializer that reads three fields instead of building the whole standard request object.
  const base = pinoHttp({ logger }).logger.child({}, { serializers: { req: leanReq } });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    (req as Logged)[BASE] = base;
    const url = req.url;
    const start = Date.now();
    let done = false;
    const complete = (err?: unknown) => {
      if (done) return;
      done = true;
      res.off('close', complete);
      res.off('error', complete);
      const level = levelOf(res, err);
      if (!base.isLevelEnabled(level)) return;
      const responseTime = Date.now() - start;
      const failed = err ?? (res as { err?: unknown }).err;
      if (failed || res.statusCode >= 500) {
        const error = failed ?? new Error(`failed with status code ${res.statusCode}`);
        req.log[level]({ res, err: error, responseTime }, 'request errored');
      } else req.log[level]({ res, responseTime }, 'request completed');
    };
    if (url !== '/healthz' && url !== '/metrics') res.on('close', complete);
    res.on('error', complete);
    next();
  };
}
