import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import client from 'prom-client';
import type { Config } from '../config';
import type { Db } from '../db';
import { notFound, unauthorized } from './errors';
import { MAX_DELIVERY_ATTEMPTS } from './event-outbox';

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  middleware: RequestHandler;
  /** Socket.IO clients connected to this instance. */
  socketsConnected: client.Gauge;
  /** Socket.IO events sent, by event name (a room emit counts its intended recipients where known). */
  socketEvents: client.Counter<'event'>;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** A registry per app instance, so tests can build many apps in one process. */
export function createMetrics(db: Db): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  new client.Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = (db.client as { pool?: TarnPool }).pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });

  new client.Gauge({
    name: 'domain_events_undelivered',
    help: 'Domain events in event_outbox: waiting for (re)delivery, or given up after every attempt',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const [all, gaveUp] = await Promise.all([
          db('event_outbox').count({ n: '*' }).first(),
          db('event_outbox').where('attempts', '>=', MAX_DELIVERY_ATTEMPTS).count({ n: '*' }).first(),
        ]);
        this.set({ state: 'waiting' }, Number(all?.n ?? 0) - Number(gaveUp?.n ?? 0));
        this.set({ state: 'gave_up' }, Number(gaveUp?.n ?? 0));
      } catch {
        // The database is down: /readyz says so; the other metrics are still worth serving.
      }
    },
  });

  // Label children cached by method, status and route (prom-client would hash the labels on every
  // observation). The route pattern, not the URL, keeps label cardinality bounded.
  const children = new Map<string, client.Histogram.Internal<'method' | 'route' | 'status_code'>>();
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const path = (req.route as { path?: unknown } | undefined)?.path;
      const route = path ? `${req.baseUrl}${String(path)}` : 'unmatched';
      const status = res.statusCode;
      const key = `${req.method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = httpDuration.labels({ method: req.method, route, status_code: String(status) });
        children.set(key, child);
      }
      child.observe(seconds);
    });
    next();
  };

  const socketsConnected = new client.Gauge({
    name: 'socketio_connected_sockets',
    help: 'Socket.IO clients connected to this instance',
    registers: [registry],
  });
  const socketEvents = new client.Counter({
    name: 'socketio_events_sent_total',
    help: 'Socket.IO events sent by type',
    labelNames: ['event'] as const,
    registers: [registry],
  });

  return { registry, httpDuration, middleware, socketsConnected, socketEvents };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards `/metrics` (config.metrics): with a token, only `Authorization: Bearer <token>` passes,
 * compared in constant time (both sides hashed to equal length first); closed, the endpoint answers
 * 404 exactly like a path that does not exist.
 */
export function metricsAccess(access: Config['metrics']): RequestHandler {
  const expected = access.access === 'token' ? digest(access.token) : undefined;
  return (req, res, next) => {
    if (access.access === 'open') return next();
    if (access.access === 'closed' || !expected) return next(notFound(`接口不存在：${req.method} ${req.path}`));
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="metrics"');
    next(unauthorized('需要指标访问令牌'));
  };
}
