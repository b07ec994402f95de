import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Container } from './container';
import { createAuthGuards } from './shared/auth';
import { errorHandler, notFoundHandler } from './shared/errors';
import { precomputedHeaders, whenBody } from './shared/http-floor';
import { httpLogger } from './shared/logger';
import { createMetrics, metricsAccess } from './shared/metrics';
import { RouteTable } from './shared/routing';
import { NOTIFY_PATHS } from './modules/payments';
import { TRANSFER_NOTIFY_PATH } from './modules/payouts';
import { CONSOLE_PATH, serveConsole } from './console';

export interface AppState {
  /** Set by server.stop(): readiness fails so a load balancer drains this instance. */
  shuttingDown: boolean;
}

const READY_TIMEOUT_MS = 2_000;

/** The Express app, without listening: supertest and server.ts both use this. */
export function createApp(c: Container, state: AppState = { shuttingDown: false }): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on JSON answers: each is a hash of the whole body (a tenth of a hall request) for a
  // 304 no client of ours asks for. Files keep theirs (the upload's own hash, files.controller.ts).
  app.set('etag', false);
  app.set('trust proxy', c.config.trustProxy);

  const metrics = createMetrics(c.db);
  app.locals.metrics = metrics;

  app.use(httpLogger(c.logger));
  app.use(metrics.middleware);
  // The ops console has its own CSP (see console.ts); mounted first so the API's strict one stays as it is.
  app.use(CONSOLE_PATH, serveConsole());
  // helmet's headers as configured (its defaults) never depend on the request: computed once.
  app.use(precomputedHeaders(helmet()));
  app.use(cors({ origin: c.config.corsOrigins.includes('*') ? true : c.config.corsOrigins, maxAge: 600 }));
  // WeChat Pay signs the exact bytes of its callbacks: those paths keep a raw body (json then skips them).
  // The parsers run only for requests with a body (most are GETs).
  app.use([...NOTIFY_PATHS, TRANSFER_NOTIFY_PATH], whenBody(express.raw({ type: '*/*', limit: '64kb' })));
  app.use(whenBody(express.json({ limit: '100kb' })));

  // --- service endpoints
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = !state.shuttingDown && (await ping(c, READY_TIMEOUT_MS));
    res
      .status(ready ? 200 : 503)
      .json(
        ready
          ? { status: 'ready' }
          : { success: false, error: { code: 'NOT_READY', message: state.shuttingDown ? '服务正在停止' : '数据库不可用' } },
      );
  });
  app.get('/metrics', metricsAccess(c.config.metrics), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // --- API routes
  const router = express.Router();
  const guards = createAuthGuards((token) => c.services.auth.authenticate(token));
  // Every non-GET staff route is written to the audit log ahead of its handler, then its outcome.
  const routes = new RouteTable(router, guards, c.services.staff.actionAudit);
  // Every module's routes, in the container's order.
  routes.add(c.routes);
  app.use(router);
  app.locals.routes = routes.defs;

  const document = routes.openApiDocument();
  // scripts/openapi.ts writes this document to docs/openapi.json without listening.
  app.locals.openApiDocument = document;
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: '电工维修平台 API' }));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

async function ping(c: Container, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.db.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      }),
    ]);
    return true;
  } catch (err) {
    c.logger.warn({ err }, 'readiness check failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
