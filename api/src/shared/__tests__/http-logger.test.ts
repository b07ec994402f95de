import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../test/harness';
import { createLogger } from '../logger';

/** The request log lines: what pino-http wrote before the stack was made lean (issue #21) is still written. */
describe('request logs', () => {
  const lines: Record<string, unknown>[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await createTestApp({ env: { LOG_LEVEL: 'debug' }, container: { logger: createLogger('debug', sink) } });
  });
  afterAll(() => t.close());

  const linesOf = (id: string) =>
    lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id && String(l.msg).startsWith('request '));

  it('when a request is answered, then one line has its id, method, URL, status and response time, and no headers of the request', async () => {
    const customer = await login(t, 'log-lines');
    await t.http.get('/api/users/me?x=1').set(customer.auth).set('X-Request-Id', 'log-line-0001');
    await t.http.get('/api/nothing-here').set('X-Request-Id', 'log-line-0002');

    const [ok] = linesOf('log-line-0001');
    expect(linesOf('log-line-0001')).toHaveLength(1);
    expect(ok).toMatchObject({
      level: 20,
      msg: 'request completed',
      service: 'repair-api',
      req: { id: 'log-line-0001', method: 'GET', url: '/api/users/me?x=1' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(Object.keys(ok!.req as object).sort()).toEqual(['id', 'method', 'url']);
    expect(JSON.stringify(ok)).not.toContain(customer.token);
    expect(linesOf('log-line-0002')).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'log-line-0002', method: 'GET', url: '/api/nothing-here' },
        res: expect.objectContaining({ statusCode: 404 }),
      }),
    ]);
  });

  it('when a handler logs through req.log, then its line carries the request', async () => {
    // The error handler logs a 4xx at debug through req.log.
    await t.http.get('/api/users/me').set('Authorization', 'Bearer nonsense').set('X-Request-Id', 'log-line-0003');

    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 20,
        req: { id: 'log-line-0003', method: 'GET', url: '/api/users/me' },
        code: 'UNAUTHORIZED',
      }),
    );
  });

  it('when /healthz or /metrics is answered, then no request line is written', async () => {
    await t.http.get('/healthz').set('X-Request-Id', 'log-line-0004');
    await t.http.get('/metrics').set('X-Request-Id', 'log-line-0005');

    expect(linesOf('log-line-0004')).toEqual([]);
    expect(linesOf('log-line-0005')).toEqual([]);
  });
});
