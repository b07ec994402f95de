import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, testEnv, type TestApp } from '../../test/harness';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createContainer } from '../container';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A test app of its own, for tests that break its database. */
async function withThrowawayApp(fn: (app: TestApp) => Promise<void>): Promise<void> {
  const app = await createTestApp();
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

describe('service endpoints', () => {
  it('when /healthz is called, then it answers 200 ok without touching the database', async () => {
    const res = await t.http.get('/healthz');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(typeof res.body.uptimeSeconds).toBe('number');
  });

  it('when the database answers, then /readyz is 200 ready', async () => {
    const res = await t.http.get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('when the configured database is unreachable, then /readyz is 503 NOT_READY', async () => {
    // Nothing listens on port 1, so every connection attempt is refused.
    const c = createContainer(loadConfig(testEnv({ DATABASE_URL: 'mysql://u:p@127.0.0.1:1/x' })));
    try {
      const res = await request(createApp(c)).get('/readyz');

      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_READY', message: '数据库不可用' } });
    } finally {
      await c.db.destroy();
    }
  });

  it('when the database pool has been destroyed, then /readyz is 503 NOT_READY', async () => {
    await withThrowawayApp(async (app) => {
      expect((await app.http.get('/readyz')).status).toBe(200);
      await app.db.destroy();

      const res = await app.http.get('/readyz');

      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('NOT_READY');
    });
  });
});

describe('error envelope', () => {
  it('when a route does not exist, then the answer is a 404 NOT_FOUND envelope with a request id', async () => {
    const res = await t.http.get('/api/nothing-here');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: expect.any(String), requestId: expect.any(String) },
    });
    expect(res.body.error.message).toContain('/api/nothing-here');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('when a path is written in capitals or with a trailing slash, then it reaches its route as before; an unknown one in a known group is 404', async () => {
    // Routes are grouped by their first two segments (routing.ts): the groups must match as Express does.
    for (const path of ['/api/orders/pricing', '/API/Orders/Pricing', '/api/orders/pricing/']) {
      const res = await t.http.get(path);
      expect(res.status, path).toBe(200);
      expect(res.body.data.length, path).toBeGreaterThan(0);
    }
    const unknown = await t.http.get('/api/orders/1/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('when the JSON body is malformed, then the answer is 400 VALIDATION_FAILED', async () => {
    const res = await t.http.post('/api/auth/wechat-login').set('Content-Type', 'application/json').send('{"code": "dev-x",');

    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([{ path: ['body'], message: 'Malformed JSON' }]);
  });

  it('when a path parameter has a malformed percent-encoding, then the answer is 400 VALIDATION_FAILED, not 500', async () => {
    // Found by the route fuzzer: the router's URIError used to fall through to INTERNAL.
    const res = await t.http.get('/api/electricians/%E7%94%B5%E');

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: ['params'], message: 'Malformed URL encoding' }],
    });
  });

  it('when the JSON body is over 100 kB, then the answer is 413 PAYLOAD_TOO_LARGE and no user is created', async () => {
    const body = JSON.stringify({ code: 'dev-huge', userInfo: { nickName: 'x'.repeat(110 * 1024) } });

    const res = await t.http.post('/api/auth/wechat-login').set('Content-Type', 'application/json').send(body);

    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await t.db('users').where({ openid: 'dev-huge' }).first()).toBeUndefined();
  });

  it('when a body field has the wrong type, then details carry the path ["body", field]', async () => {
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 5 });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: ['body', 'code'], code: 'invalid_type' })]);
  });

  it('when a body has an unknown key, then the strict schema rejects it and names the key', async () => {
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-strict', isAdmin: true });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: ['body'], code: 'unrecognized_keys', message: expect.stringContaining('isAdmin') }),
    ]);
    expect(await t.db('users').where({ openid: 'dev-strict' }).first()).toBeUndefined();
  });

  it('when the database fails mid-request, then the answer is 500 INTERNAL without a stack or internals', async () => {
    await withThrowawayApp(async (app) => {
      await app.db.destroy();

      const res = await app.http.post('/api/auth/wechat-login').send({ code: 'dev-alice' });

      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        success: false,
        error: { code: 'INTERNAL', message: expect.any(String), requestId: expect.any(String) },
      });
      expect(res.text).not.toMatch(/\bat \S/);
      expect(res.text.toLowerCase()).not.toContain('knex');
      expect(res.text).not.toContain('acquire');
      expect(res.text).not.toContain('.ts');
    });
  });
});

describe('request ids and headers', () => {
  it('when X-Request-Id looks sane, then it is echoed in the header and the error body', async () => {
    const res = await t.http.get('/api/missing').set('X-Request-Id', 'edge-req.0123:abcd');

    expect(res.headers['x-request-id']).toBe('edge-req.0123:abcd');
    expect(res.body.error.requestId).toBe('edge-req.0123:abcd');
  });

  it.each([
    ['500 characters long', 'a'.repeat(500)],
    ['full of unsafe characters', 'abc<script>alert(1)</script>'],
    ['too short', 'abc'],
  ])('when X-Request-Id is %s, then a fresh UUID replaces it', async (_what, incoming) => {
    const res = await t.http.get('/api/missing').set('X-Request-Id', incoming);

    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('when no X-Request-Id is sent, then each response gets its own UUID', async () => {
    const a = await t.http.get('/healthz');
    const b = await t.http.get('/healthz');

    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('when any response is sent, then it carries helmet headers and no x-powered-by', async () => {
    for (const res of [await t.http.get('/healthz'), await t.http.get('/api/missing')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('metrics', () => {
  it('when a login has been served, then /metrics has its latency by route pattern and the pool gauge', async () => {
    await login(t, 'metrics-user');

    const res = await t.http.get('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/wechat-login",status_code="200"\} [1-9]\d*$/m,
    );
    expect(res.text).toMatch(/^db_pool_connections\{state="used"\} \d+$/m);
    expect(res.text).toMatch(/^db_pool_connections\{state="free"\} \d+$/m);
    expect(res.text).toMatch(/^db_pool_connections\{state="pending"\} \d+$/m);
  });

  it('when an unknown URL is requested, then it is counted as route "unmatched", not by its URL', async () => {
    await t.http.get('/api/unknown-path-12345');

    const res = await t.http.get('/metrics');

    expect(res.text).toMatch(/route="unmatched",status_code="404"/);
    expect(res.text).not.toContain('unknown-path-12345');
  });
});

describe('metrics access (METRICS_TOKEN)', () => {
  const TOKEN = 'metrics-scraper-token-0123456789';

  it('when METRICS_TOKEN is set, then /metrics needs it as a bearer token: none or a wrong one is 401, the right one 200', async () => {
    const app = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    try {
      const none = await app.http.get('/metrics');
      const wrong = await app.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
      const short = await app.http.get('/metrics').set('Authorization', 'Bearer m');
      const basic = await app.http.get('/metrics').set('Authorization', `Basic ${TOKEN}`);
      const right = await app.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);

      for (const res of [none, wrong, short, basic]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
        expect(res.text).not.toContain('http_request_duration_seconds');
      }
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(right.status).toBe(200);
      expect(right.text).toContain('http_request_duration_seconds');
    } finally {
      await app.close();
    }
  });

  it('when METRICS_TOKEN is unset in production, then /metrics answers 404 like a path that does not exist', async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'mysql://repair:s3cret@db.internal:3306/repair',
      JWT_SECRET: 'a-very-long-random-production-secret-0123456789',
      ID_CARD_KEY: '0123456789abcdef'.repeat(4),
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 'wechat-app-secret',
      WXPAY_MCHID: '1900000001',
      WXPAY_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      WXPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
      WXPAY_APIV3_KEY: 'abcdefghijklmnopqrstuvwxyz012345',
      WXPAY_PLATFORM_CERT: '-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----',
      WXPAY_NOTIFY_URL: 'https://api.example.com/api/payments/notify',
      SMS_PROVIDER: 'disabled',
    });
    expect(production.metrics).toEqual({ access: 'closed' });
    // The test app's own container (its database) with the production answer for /metrics.
    const http = request(createApp({ ...t.c, config: { ...t.c.config, metrics: production.metrics } }));

    const res = await http.get('/metrics').set('Authorization', 'Bearer anything-at-all-0123456789');

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect(res.text).not.toContain('http_request_duration_seconds');
  });

  it('when METRICS_TOKEN is unset in development or test, then /metrics is open', () => {
    expect(loadConfig({}).metrics).toEqual({ access: 'open' });
    expect(loadConfig(testEnv()).metrics).toEqual({ access: 'open' });
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics).toEqual({ access: 'token', token: TOKEN });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});

describe('API documentation', () => {
  it('when /api/openapi.json is fetched, then it is OpenAPI 3 documenting login (public) and /users/me (bearer)', async () => {
    const res = await t.http.get('/api/openapi.json');

    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const loginOp = doc.paths['/api/auth/wechat-login']?.post;
    expect(loginOp).toBeDefined();
    expect(loginOp.security ?? []).toEqual([]);
    expect(loginOp.requestBody.content['application/json'].schema).toBeDefined();

    for (const method of ['get', 'patch']) {
      const op = doc.paths['/api/users/me']?.[method];
      expect(op, method).toBeDefined();
      expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
  });

  it('when /api/docs/ is opened, then Swagger UI and its init script describing the API are served', async () => {
    const page = await t.http.get('/api/docs/');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('swagger-ui');
    expect(page.text).toContain('swagger-ui-init.js');

    const init = await t.http.get('/api/docs/swagger-ui-init.js');

    expect(init.status).toBe(200);
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain('openapi');
    expect(init.text).toContain('/api/auth/wechat-login');
  });
});
