/**
 * Database outage (issue #10): MariaDB dies under load and comes back. The API must answer 503
 * (readiness and requests) without hanging or crashing, keep its sockets, and recover by itself.
 * Runs with `npm run test:mysql` on a MariaDB server of its own (the shared one cannot be stopped).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createContainer, type Container } from '../../src/container';
import { createDb, migrateLatest } from '../../src/db';
import { start, type RunningServer } from '../../src/server';
import { ManualClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { connect, closeClients, type ClientSocket } from '../../src/realtime/__tests__/support';
import { testEnv, usingMysql } from '../harness';
import { hasMariadb, startPrivateMariadb, type PrivateMariadb } from '../private-mariadb';

const RECOVERY_LIMIT_MS = 10_000;

describe.runIf(usingMysql && hasMariadb())('database outage', () => {
  let mariadb: PrivateMariadb;
  let c: Container;
  let server: RunningServer;
  let uploads: string;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-uploads-'));
    const config = loadConfig(testEnv({ DATABASE_URL: mariadb.url, UPLOAD_ROOT: uploads }));
    const logger = createLogger(config.logLevel);
    const db = createDb(config.databaseUrl, { logger });
    await migrateLatest(db);
    c = createContainer(config, { db, clock: new ManualClock(new Date()), logger });
    server = await start(c, { port: 0, host: '127.0.0.1', jobs: true });
  }, 60_000);

  afterAll(async () => {
    closeClients();
    await server?.stop(100);
    await mariadb?.destroy();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  const timed = async (url: string, init?: RequestInit) => {
    const t0 = Date.now();
    const res = await fetch(server.url + url, init);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ms: Date.now() - t0, text };
  };

  it('when MariaDB dies under load, then requests get a clean 503, sockets stay up, and everything recovers without a restart', async () => {
    const login = await timed('/api/auth/wechat-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'dev-outage-customer' }),
    });
    expect(login.status).toBe(200);
    const token = (login.body.data as { token: string }).token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const socket: ClientSocket = await connect(server.url, token);
    const socketId = socket.id;
    let disconnected = false;
    socket.on('disconnect', () => {
      disconnected = true;
    });

    // Load: a steady stream of reads and writes while the database goes away.
    let loading = true;
    const statuses: number[] = [];
    const worker = async () => {
      while (loading) {
        const r = await timed('/api/users/me', { headers: auth });
        statuses.push(r.status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = [worker(), worker(), worker()];
    await new Promise((resolve) => setTimeout(resolve, 300));

    await mariadb.kill();

    const ready = await timed('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(5_000);
    for (const url of ['/api/users/me', '/api/orders?as=customer']) {
      const r = await timed(url, { headers: auth });
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(5_000);
      expect(r.body).toMatchObject({ success: false, error: { code: 'SERVICE_UNAVAILABLE' } });
      expect(r.text).not.toMatch(/ECONNREFUSED|at .*\.ts|mysql|select /i);
    }
    // An event that needs the database answers 503; one that does not (the session check is held in
    // memory) is still served.
    const ack = (await socket.timeout(5_000).emitWithAck('send_message', { orderId: 1, type: 'text', content: '在吗' })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(ack).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(((await socket.timeout(5_000).emitWithAck('heartbeat', {})) as { ok: boolean }).ok).toBe(true);
    expect(socket.connected).toBe(true);

    await mariadb.start();
    const restartedAt = Date.now();
    let recoveredAfter = -1;
    while (Date.now() - restartedAt < RECOVERY_LIMIT_MS) {
      const [r, me] = await Promise.all([timed('/readyz'), timed('/api/users/me', { headers: auth })]);
      if (r.status === 200 && me.status === 200) {
        recoveredAfter = Date.now() - restartedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    loading = false;
    await Promise.all(workers);
    expect(recoveredAfter).toBeGreaterThanOrEqual(0);
    expect(recoveredAfter).toBeLessThan(RECOVERY_LIMIT_MS);
    process.stdout.write(
      `db outage: ${statuses.length} requests under load (${statuses.filter((s) => s === 503).length} answered 503), the API answered 200 again ${recoveredAfter} ms after MariaDB accepted connections\n`,
    );

    // Nothing but 200 or a clean 503 was ever answered; the socket never dropped.
    expect(new Set(statuses.filter((s) => s !== 200 && s !== 503))).toEqual(new Set());
    expect(statuses).toContain(503);
    expect(disconnected).toBe(false);
    expect(socket.id).toBe(socketId);
    const after = (await socket.timeout(5_000).emitWithAck('heartbeat', {})) as { ok: boolean };
    expect(after.ok).toBe(true);

    // Writes work again too.
    const created = await timed('/api/users/me', {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ nickname: '恢复之后' }),
    });
    expect(created.status).toBe(200);
  }, 90_000);
});
