/**
 * Test harness: every test file gets its own fresh, migrated database — a temp SQLite file, or
 * (npm run test:mysql, TEST_DB=mysql) its own database on TEST_DATABASE_URL, dropped afterwards —
 * copied from a template the run migrated once (api/test/global-setup.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { createContainer, type Container, type ContainerOptions } from '../src/container';
import { createDb, dialect, migrateLatest, type Db } from '../src/db';
import { idCardCheckChar } from '../src/modules/electricians/id-card';
import { ManualClock } from '../src/shared/clock';
import { createLogger } from '../src/shared/logger';
import { copySqliteTemplate, createMysqlDatabase, dropMysqlDatabase } from './db-template';
import { jpeg } from './fixtures/images';

export const usingMysql = process.env.TEST_DB === 'mysql';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated, empty database for one test file: a copy of the run's migrated template
 * (api/test/db-template.ts), or migrated here when there is none. `migrate: false` gives an empty one.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (usingMysql) {
    const base = new URL(process.env.TEST_DATABASE_URL ?? '');
    const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const copied = await createMysqlDatabase(base.toString(), name, migrate);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = createDb(url.toString());
    if (migrate && !copied) await migrateLatest(db);
    return {
      url: url.toString(),
      db,
      async drop() {
        await db.destroy();
        await dropMysqlDatabase(base.toString(), name);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-test-'));
  const filename = path.join(dir, 'test.sqlite3');
  const copied = migrate && copySqliteTemplate(filename);
  const url = `sqlite:${filename}`;
  const db = createDb(url);
  if (migrate && !copied) await migrateLatest(db);
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
  // Uploads go to a directory of this app's own, removed with it, unless the test names one.
  const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-uploads-'));
  const config = loadConfig(testEnv({ DATABASE_URL: database.url, UPLOAD_ROOT: uploadRoot, ...options.env }));
  const clock = new ManualClock(new Date());
  const c = createContainer(config, {
    db: database.db,
    clock,
    logger: createLogger(config.logLevel),
    rateLimits: { login: 10_000, refresh: 10_000, smsCode: 10_000, uploads: 10_000, orderCreate: 10_000 },
    ...options.container,
  });
  const app = createApp(c);
  const close = async () => {
    await c.bus.drain();
    await c.rateLimitRedis?.close();
    await c.broadcast.close();
    await database.drop();
    fs.rmSync(uploadRoot, { recursive: true, force: true });
  };
  return { app, c, db: database.db, config, clock, http: request(app), close };
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

export interface ElectricianOptions {
  latitude?: number;
  longitude?: number;
  emergencyAvailable?: boolean;
  minOrderAmount?: number;
  workStatus?: 'available' | 'busy' | 'offline';
}

/**
 * An approved electrician made through the real flow: login, certificate upload, application,
 * approval by `dev-admin`, then going to work (available by default) at a location (West Lake by default).
 */
export async function loginAsElectrician(
  t: Pick<TestApp, 'http'>,
  name: string,
  opts: ElectricianOptions = {},
): Promise<Session & { electricianId: number }> {
  const {
    s,
    res: applied,
    id: electricianId,
  } = await applyAs(t, name, {
    realName: '测试电工',
    experienceYears: 5,
    specialties: ['线路维修'],
    serviceAreas: ['西湖区'],
    introduction: undefined,
  });
  if (applied.status !== 201) throw new Error(`apply ${name} failed: ${applied.status} ${JSON.stringify(applied.body)}`);
  const admin = await loginAsAdmin(t);
  const verified = await t.http.post(`/api/admin/electricians/${electricianId}/verify`).set(admin.auth).send({ approved: true });
  if (verified.status !== 200) throw new Error(`verify ${name} failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  const { latitude = 30.259, longitude = 120.13, workStatus = 'available', ...rest } = opts;
  const ready = await t.http
    .patch('/api/electricians/me')
    .set(s.auth)
    .send({ workStatus, latitude, longitude, ...rest });
  if (ready.status !== 200) throw new Error(`going to work ${name} failed: ${ready.status} ${JSON.stringify(ready.body)}`);
  return { ...s, electricianId };
}

/** A complete, valid electrician application around the given certificate upload ids. */
export function applicationBody(images: number[], overrides: Record<string, unknown> = {}) {
  return {
    realName: '李建华',
    idCard: randomIdCard(),
    certificateNumber: randomCertificateNumber(),
    certificateType: 'low_voltage',
    certificateImages: images,
    experienceYears: 6,
    specialties: ['线路维修', '开关插座'],
    serviceAreas: ['西湖区', '拱墅区'],
    introduction: '从业六年，擅长老旧小区线路改造。',
    ...overrides,
  };
}

export interface Applicant {
  s: Session;
  res: request.Response;
  body: ReturnType<typeof applicationBody>;
  id: number;
}

/** Logs `name` in, uploads a certificate and applies; the response is returned whatever its status. */
export async function applyAs(
  t: Pick<TestApp, 'http'>,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<Applicant> {
  const s = await login(t, name);
  const image = await uploadCertificate(t, s);
  const body = applicationBody([image], overrides);
  const res = await t.http.post('/api/electricians/apply').set(s.auth).send(body);
  return { s, res, body, id: res.body.data?.id as number };
}

/** Uploads a certificate image (a distinct JPEG each call unless `image` is given); returns its upload id. */
export async function uploadCertificate(t: Pick<TestApp, 'http'>, s: Session, image?: Buffer): Promise<number> {
  const res = await t.http
    .post('/api/uploads')
    .set(s.auth)
    .field('purpose', 'certificate')
    .attach('file', image ?? jpeg(randomBytes(8).toString('hex')), { filename: 'certificate.jpg', contentType: 'image/jpeg' });
  if (res.status !== 201) throw new Error(`certificate upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as number;
}

export const loginAsAdmin = (t: Pick<TestApp, 'http'>) => login(t, 'admin');

let idCardSerial = randomInt(1_000_000);

/**
 * A valid mainland ID-card number (real birth date, MOD 11-2 check character), different on every
 * call in this process: consecutive serials map to distinct (birth date, sequence) pairs.
 */
export function randomIdCard(): string {
  const n = idCardSerial++;
  const birth = new Date(Date.UTC(1960, 0, 1) + (Math.floor(n / 1000) % 14_600) * 86_400_000);
  const first17 = `330106${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

/** A certificate number nobody else in this process has (a random prefix, then a serial). */
export function randomCertificateNumber(): string {
  return `DG-${randomBytes(3).toString('hex').toUpperCase()}-${idCardSerial++}`;
}

/** Counts rows of a table, optionally filtered. */
export async function count(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await db(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Every table of the database, knex's own included, sorted by name. */
export async function tableNames(db: Db): Promise<string[]> {
  const rows: { name: string }[] =
    dialect(db) === 'sqlite'
      ? await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      : (await db.raw('select table_name as name from information_schema.tables where table_schema = database()'))[0];
  return rows.map((r) => r.name).sort();
}

/**
 * Every row of every table but `except`: what a refused request must leave exactly as it was.
 * `event_outbox` is left out: earlier requests' deliveries clear it at their own pace (the fuzzer
 * and the authorization matrix drain the bus and check it).
 */
export async function snapshot(db: Db, except: string[] = []): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const skip = [...except, 'event_outbox'];
  for (const table of (await tableNames(db)).filter((x) => !skip.includes(x))) out[table] = await db(table).select();
  return out;
}
