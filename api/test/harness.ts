/**
 * Test harness: every test file gets its own fresh, migrated database — a temp SQLite file, or
 * (npm run test:mysql, TEST_DB=mysql) its own database on TEST_DATABASE_URL, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { createContainer, type Container, type ContainerOptions } from '../src/container';
import { createDb, migrateLatest, type Db } from '../src/db';
import { ManualClock } from '../src/shared/clock';
import { createLogger } from '../src/shared/logger';

export const usingMysql = process.env.TEST_DB === 'mysql';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database for one test file. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (usingMysql) {
    const base = new URL(process.env.TEST_DATABASE_URL ?? '');
    const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = createDb(base.toString(), { poolMax: 1 });
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.destroy();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = createDb(url.toString());
    if (migrate) await migrateLatest(db);
    return {
      url: url.toString(),
      db,
      async drop() {
        await db.destroy();
        const a = createDb(base.toString(), { poolMax: 1 });
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
        await a.destroy();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-test-'));
  const url = `sqlite:${path.join(dir, 'test.sqlite3')}`;
  const db = createDb(url);
  if (migrate) await migrateLatest(db);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment a test app is configured from; tests override single variables. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_OPENIDS: 'dev-admin',
    ...overrides,
  };
}

export interface TestApp {
  app: Express;
  c: Container;
  db: Db;
  config: Config;
  clock: ManualClock;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real app on a fresh database, with a hand-moved clock. Rate limits are lifted unless given. */
export async function createTestApp(
  options: { env?: Record<string, string | undefined>; container?: ContainerOptions } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnv({ DATABASE_URL: database.url, ...options.env }));
  const clock = new ManualClock(new Date());
  const c = createContainer(config, {
    db: database.db,
    clock,
    logger: createLogger(config.logLevel),
    rateLimits: { login: 10_000, refresh: 10_000, smsCode: 10_000 },
    ...options.container,
  });
  const app = createApp(c);
  return { app, c, db: database.db, config, clock, http: request(app), close: () => database.drop() };
}

export interface Session {
  token: string;
  refreshToken: string;
  userId: number;
  auth: { Authorization: string };
}

/** Logs in through the real endpoint with a dev code (`dev-<name>`). */
export async function login(t: Pick<TestApp, 'http'>, name: string): Promise<Session> {
  const res = await t.http.post('/api/auth/wechat-login').send({ code: `dev-${name}` });
  if (res.status !== 200) throw new Error(`login ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { token, refreshToken, user } = res.body.data;
  return { token, refreshToken, userId: user.id, auth: { Authorization: `Bearer ${token}` } };
}

/** A user made an electrician directly in the database (the apply/approve flow is the Orders module's). */
export async function loginAsElectrician(t: Pick<TestApp, 'http' | 'db'>, name: string): Promise<Session> {
  const s = await login(t, name);
  await t.db('users').where({ id: s.userId }).update({ user_type: 'electrician' });
  return s;
}

export const loginAsAdmin = (t: Pick<TestApp, 'http'>) => login(t, 'admin');

/** Counts rows of a table, optionally filtered. */
export async function count(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await db(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
