import { spawn } from 'node:child_process';
import { serverNode } from '../lib/api';
import type { BenchContext } from '../lib/context';
import { cannon, loadRow } from '../lib/context';
import type { Row } from '../lib/stats';

/** The most any endpoint can do on this machine: a bare node:http JSON answer in its own process. */
const SERVER = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"success":true,"data":{"ok":true}}'); }).listen(0, '127.0.0.1', function () { console.log('READY http://127.0.0.1:' + this.address().port); });`;

/**
 * Express 5 itself, for reference: one route answering the same JSON through `res.json`, no
 * middleware, in its own process. What the framework the design card fixes costs before any of
 * the app's middleware runs.
 */
const EXPRESS = `const app = require('express')(); app.disable('x-powered-by'); app.get('/', (q, s) => { s.json({ success: true, data: { ok: true } }); }); const server = app.listen(0, '127.0.0.1', () => { console.log('READY http://127.0.0.1:' + server.address().port); });`;

/**
 * The same Express 5 route served as the API serves it (`serverFor` in api/src/shared/http-floor.ts):
 * requests and responses born with the app's prototypes, so Express does not change them per request.
 */
const EXPRESS_BORN = `const http = require('node:http'); const app = require('express')(); app.disable('x-powered-by'); app.get('/', (q, s) => { s.json({ success: true, data: { ok: true } }); }); class Q extends http.IncomingMessage {} class S extends http.ServerResponse {} Object.setPrototypeOf(Q.prototype, app.request); Object.setPrototypeOf(S.prototype, app.response); app.request = Q.prototype; app.response = S.prototype; const server = http.createServer({ IncomingMessage: Q, ServerResponse: S }, app).listen(0, '127.0.0.1', () => { console.log('READY http://127.0.0.1:' + server.address().port); });`;

/** Connections of the ceiling and of every row compared with it directly (`floor`). */
export const CONNECTIONS = 50;

/** Starts the bare server, loads it for `seconds` at CONNECTIONS, stops it. */
export const bareHttp = (seconds: number) => loadServer(SERVER, seconds);

/** Starts the one-route Express 5 server, loads it for `seconds` at CONNECTIONS, stops it. */
export const bareExpress = (seconds: number) => loadServer(EXPRESS, seconds);

/** The same, its requests born with Express's prototypes as the API's are. */
export const bornExpress = (seconds: number) => loadServer(EXPRESS_BORN, seconds);

async function loadServer(source: string, seconds: number) {
  const child = spawn(serverNode(), ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) =>
    child.stdout.on('data', (d: Buffer) => resolve(/READY (\S+)/.exec(d.toString())![1]!)),
  );
  try {
    return await cannon(url, CONNECTIONS, seconds, { method: 'GET', build: () => ({ path: '/', headers: {} }) }, child.pid);
  } finally {
    child.kill();
  }
}

export async function run(ctx: BenchContext): Promise<Row[]> {
  return [loadRow('ceiling: bare node:http JSON', await bareHttp(ctx.seconds), CONNECTIONS)];
}
