import { cannon, loadRow, type BenchContext, type Load } from '../lib/context';
import type { Row } from '../lib/stats';
import { bareExpress, bareHttp, bornExpress, CONNECTIONS } from './ceiling-http';

/**
 * The app's floor: what every route pays around its handler (helmet, CORS, request id, request
 * log, metrics, body parsing, routing). `GET /healthz` through the whole stack, and
 * `GET /api/orders/pricing` with a customer's bearer token (a public route whose handler returns a
 * constant table), and `GET /api/messages/unread-count` as the customer (a guarded route: the session
 * check, then one indexed count), each against the bare node:http server of `ceiling-http`, measured
 * again right before them at the same connections so the ratio comes from the same minute. Also
 * against that server: Express 5 alone with one route and no middleware, the framework's own floor,
 * once as commonly served and once with its requests born with Express's prototypes as the API's are.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const bare = await bareHttp(ctx.seconds);
  const express = await bareExpress(ctx.seconds);
  const born = await bornExpress(ctx.seconds);
  const { customers } = ctx.world;
  const pick = () => customers[Math.floor(Math.random() * customers.length)]!;
  /** `path` through the API as a GET, with the API's CPU per request. */
  const get = (path: string, headers: () => Record<string, string> = () => ({})) =>
    cannon(ctx.url, CONNECTIONS, ctx.seconds, { method: 'GET', build: () => ({ path, headers: headers() }) }, ctx.apiPid);
  const bearer = () => ({ authorization: `Bearer ${pick().token}` });
  const healthz = await get('/healthz');
  const pricing = await get('/api/orders/pricing', bearer);
  const unread = await get('/api/messages/unread-count', bearer);
  const row = (scenario: string, r: Load, ceiling?: number) => loadRow(scenario, r, CONNECTIONS, ceiling);
  return [
    row('floor: bare node:http JSON (ceiling)', bare),
    row('floor: bare Express 5, one route, no middleware (reference)', express, bare.throughput),
    row('floor: Express 5, one route, requests born with its prototypes (reference)', born, bare.throughput),
    row('floor: GET /healthz', healthz, bare.throughput),
    row('floor: GET /api/orders/pricing (bearer)', pricing, bare.throughput),
    row('floor: GET /api/messages/unread-count (authenticated)', unread, bare.throughput),
  ];
}
