/**
 * The headers every answer carries — helmet's defaults, CORS, the request id — pinned as the
 * middleware stack produced them before it was made cheap (issue #21): the lean stack must send
 * exactly the same names and values, on the service endpoints, on API routes, on errors and on
 * CORS preflights, for the three CORS configurations (none, a list, `*`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../test/harness';
import { SNAPSHOT } from './response-headers.snapshot';

/** Headers whose values change from one answer to the next; their presence is still compared. */
const VOLATILE = new Set(['date', 'x-request-id', 'etag', 'content-length', 'connection', 'keep-alive']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Answer = { status: number; headers: Record<string, string | string[]> };
const shape = (res: Answer) => ({
  status: res.status,
  headers: Object.fromEntries(
    Object.keys(res.headers)
      .sort()
      .map((name) => [name, VOLATILE.has(name) ? '*' : res.headers[name]]),
  ),
});

const ALLOWED = 'https://ops.example.com';
const EVIL = 'https://evil.example.com';

/** The same requests against each configuration. */
async function answers(t: TestApp): Promise<Record<string, ReturnType<typeof shape>>> {
  const customer = await login(t, 'headers-customer');
  const preflight = (origin: string) =>
    t.http
      .options('/api/orders')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
  const out: Record<string, Answer> = {
    'GET /healthz': await t.http.get('/healthz'),
    'GET /healthz from the allowed origin': await t.http.get('/healthz').set('Origin', ALLOWED),
    'GET /healthz from another origin': await t.http.get('/healthz').set('Origin', EVIL),
    'GET /api/orders/pricing': await t.http.get('/api/orders/pricing').set(customer.auth),
    'GET /api/orders/pricing from the allowed origin': await t.http.get('/api/orders/pricing').set('Origin', ALLOWED),
    'GET /api/users/me': await t.http.get('/api/users/me').set(customer.auth),
    'GET /api/users/me without a token': await t.http.get('/api/users/me'),
    'GET /api/nothing-here': await t.http.get('/api/nothing-here'),
    'POST /api/auth/wechat-login malformed': await t.http
      .post('/api/auth/wechat-login')
      .set('Content-Type', 'application/json')
      .send('{"code":'),
    'OPTIONS /api/orders preflight from the allowed origin': await preflight(ALLOWED),
    'OPTIONS /api/orders preflight from another origin': await preflight(EVIL),
    'OPTIONS /api/orders without an origin': await t.http.options('/api/orders'),
  };
  for (const [what, res] of Object.entries(out)) {
    expect(res.headers['x-request-id'], what).toMatch(UUID);
  }
  return Object.fromEntries(Object.entries(out).map(([what, res]) => [what, shape(res)]));
}

describe.each([
  ['no CORS origins', {}],
  ['CORS_ORIGINS a list', { CORS_ORIGINS: `${ALLOWED},https://other.example.com` }],
  ['CORS_ORIGINS *', { CORS_ORIGINS: '*' }],
] as const)('response headers with %s', (name, env) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env });
  });
  afterAll(() => t.close());

  it('when the same requests are sent, then every answer has exactly the headers it had before the stack was made lean', async () => {
    const got = await answers(t);
    if (process.env.WRITE_HEADER_SNAPSHOT) {
      process.stdout.write(`SNAPSHOT ${JSON.stringify({ [name]: got })}\n`);
      return;
    }
    expect(got).toEqual(SNAPSHOT[name]);
  });
});
