import { cannon, type BenchContext } from '../lib/context';
import type { Row } from '../lib/stats';
import { bareExpress, bareHttp, CONNECTIONS } from './ceiling-http';

/**
 * The app's floor: what every route pays around its handler (helmet, CORS, request id, request
 * log, metrics, body parsing, routing). `GET /healthz` through the whole stack, and
 * `GET /api/orders/pricing` with a customer's bearer token (a public route whose handler returns a
 * constant table), and `GET /api/messages/unread-count` as the customer (a guarded route: the session
 * check, then one indexed count), each against the bare node:http server of `ceiling-http`, measured
 * again right before them at the same connections so the ratio comes from the same minute. Also
 * against that server: Express 5 alone with one route and no middleware, the framework's own floor.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const bare = await bareHttp(ctx.seconds);
  const express = await bareExpress(ctx.seconds);
  const { customers } = ctx.world;
  const pick = () => customers[Math.floor(Math.random() * customers.length)]!;
  const healthz = await cannon(
    ctx.url,
    CONNECTIONS,
    ctx.seconds,
    {
      method: 'GET',
      build: () => ({ path: '/healthz', headers: {} }),
    },
    ctx.apiPid,
  );
  const pricing = await cannon(
    ctx.url,
    CONNECTIONS,
    ctx.seconds,
    {
      method: 'GET',
      build: () => ({ path: '/api/orders/pricing', headers: { authorization: `Bearer ${pick().token}` } }),
    },
    ctx.apiPid,
  );
  const unread = await cannon(
    ctx.url,
    CONNECTIONS,
    ctx.seconds,
    {
      method: 'GET',
      build: () => ({ path: '/api/messages/unread-count', headers: { authorization: `Bearer ${pick().token}` } }),
    },
    ctx.apiPid,
  );
  const row = (scenario: string, r: typeof bare, ceiling?: number): Row => ({
    scenario,
    concurrency: CONNECTIONS,
    requests: r.requests,
    median: r.median,
    p95: r.p95,
    p99: r.p99,
    throughput: r.throughput,
    ...(ceiling ? { ceiling, ratio: r.throughput / ceiling } : {}),
    note: [r.cpu, r.non2xx || r.errors ? `${r.non2xx} non-2xx, ${r.errors} errors` : ''].filter(Boolean).join('; '),
  });
  return [
    row('floor: bare node:http JSON (ceiling)', bare),
    row('floor: bare Express 5, one route, no middleware (reference)', express, bare.throughput),
    row('floor: GET /healthz', healthz, bare.throughput),
    row('floor: GET /api/orders/pricing (bearer)', pricing, bare.throughput),
    row('floor: GET /api/messages/unread-count (authenticated)', unread, bare.throughput),
  ];
}
