import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../api/src/db';
import { freePort, startRedis } from '../../api/src/realtime/__tests__/support';
import { count, usingMysql } from '../../api/test/harness';
import { migrations } from '../../migrations';
import { DEMO_USERS } from '../../seeds/01_demo_users';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = path.join(ROOT, 'scripts/db.ts');
const MIGRATION_NAMES = migrations.map(([name]) => name);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A fresh temp directory (also the CLI's cwd, so no .env is read) and a SQLite URL inside it. */
function freshDatabaseUrl(): { url: string; cwd: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-cli-'));
  dirs.push(cwd);
  return { url: `sqlite:${path.join(cwd, 'cli.sqlite3')}`, cwd };
}

/** Runs `tsx scripts/db.ts <args>` against the given database and resolves with its exit code and output. */
function cli(target: { url: string; cwd: string; env?: Record<string, string> }, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      TSX,
      [SCRIPT, ...args],
      {
        cwd: target.cwd,
        env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: target.url, ...target.env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Opens the CLI's database from the test, runs fn, and closes it again. */
async function inspect<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(url);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const CLI_TIMEOUT = 120_000;

describe.runIf(!usingMysql)('db CLI: migrate and rollback', () => {
  it(
    'when migrate runs twice, then it applies every migration once and then reports up to date',
    async () => {
      const target = freshDatabaseUrl();

      const first = await cli(target, 'migrate');
      const second = await cli(target, 'migrate');

      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toBe(`applied: ${MIGRATION_NAMES.join(', ')}\n`);
      expect(second).toMatchObject({ code: 0, stdout: 'already up to date\n' });
      expect(await inspect(target.url, (db) => db.schema.hasTable('users'))).toBe(true);
    },
    CLI_TIMEOUT,
  );

  it(
    'when rollback runs after migrate, then it reports the reverted batch and the tables are gone',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');

      const first = await cli(target, 'rollback');
      const second = await cli(target, 'rollback');

      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^rolled back: /);
      for (const name of MIGRATION_NAMES) expect(first.stdout).toContain(name);
      expect(second).toMatchObject({ code: 0, stdout: 'nothing to roll back\n' });
      expect(await inspect(target.url, (db) => db.schema.hasTable('users'))).toBe(false);
    },
    CLI_TIMEOUT,
  );
});

describe.runIf(!usingMysql)('db CLI: seed and reset', () => {
  it(
    'when seed runs twice, then the demo users exist once each',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');

      const first = await cli(target, 'seed');
      const afterFirst = await inspect(target.url, (db) => count(db, 'users'));
      const second = await cli(target, 'seed');
      const afterSecond = await inspect(target.url, (db) => count(db, 'users'));

      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^seeded: 01_demo_users/);
      expect(second.code).toBe(0);
      expect(afterFirst).toBe(DEMO_USERS.length);
      expect(afterSecond).toBe(afterFirst);
      const openids = await inspect(target.url, (db) => db('users').orderBy('openid').pluck('openid'));
      expect(openids).toEqual(DEMO_USERS.map((u) => u.openid).sort());
    },
    CLI_TIMEOUT,
  );

  it(
    'when reset runs on a changed database, then it is migrated and holds exactly the demo data again',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');
      await cli(target, 'seed');
      await inspect(target.url, async (db) => {
        const now = new Date();
        await db('users').insert({ openid: 'dev-stranger', created_at: now, updated_at: now });
        await db('users').where({ openid: 'dev-alice' }).update({ user_type: 'admin', staff_role: 'finance' });
      });

      const res = await cli(target, 'reset');

      expect(res).toMatchObject({ code: 0, stdout: 'database reset: migrated and seeded\n' });
      expect(await cli(target, 'migrate')).toMatchObject({ code: 0, stdout: 'already up to date\n' });
      await inspect(target.url, async (db) => {
        expect(await count(db, 'users')).toBe(DEMO_USERS.length);
        expect(await count(db, 'users', { openid: 'dev-stranger' })).toBe(0);
        expect(await db('users').where({ openid: 'dev-alice' }).first()).toMatchObject({ user_type: 'user', staff_role: null });
      });
    },
    CLI_TIMEOUT,
  );
});

describe.runIf(!usingMysql)('db CLI: promote', () => {
  it(
    'when the openid is unknown, then promote exits 1 saying the user must log in first',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');

      const res = await cli(target, 'promote', 'dev-nobody');

      expect(res.code).toBe(1);
      expect(res.stderr).toContain('no user with openid dev-nobody');
      expect(res.stderr).toContain('log in once first');
      expect(await inspect(target.url, (db) => count(db, 'users'))).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'when a user is promoted without a role, then they become admin with staff role admin',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');
      await cli(target, 'seed');

      const res = await cli(target, 'promote', 'dev-alice');

      expect(res).toMatchObject({
        code: 0,
        stdout:
          'promoted dev-alice to admin (admin)\nthe role applies to their open sessions within 10000 ms (SESSION_CACHE_MS)\n',
      });
      await inspect(target.url, async (db) => {
        expect(await db('users').where({ openid: 'dev-alice' }).first()).toMatchObject({
          user_type: 'admin',
          staff_role: 'admin',
        });
        expect(await db('users').where({ openid: 'dev-bob' }).first()).toMatchObject({ user_type: 'user', staff_role: null });
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'when a staff role is given, then the user gets that role; an unknown role exits 2 and changes nothing',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');
      await cli(target, 'seed');

      const finance = await cli(target, 'promote', 'dev-bob', 'finance');

      expect(finance).toMatchObject({
        code: 0,
        stdout:
          'promoted dev-bob to admin (finance)\nthe role applies to their open sessions within 10000 ms (SESSION_CACHE_MS)\n',
      });
      expect(await inspect(target.url, (db) => db('users').where({ openid: 'dev-bob' }).first())).toMatchObject({
        user_type: 'admin',
        staff_role: 'finance',
      });

      const wizard = await cli(target, 'promote', 'dev-bob', 'wizard');

      expect(wizard.code).toBe(2);
      expect(wizard.stderr).toContain('usage:');
      expect(wizard.stderr).toContain('staffRole is one of admin, ops_manager, agent, finance');
      expect(await inspect(target.url, (db) => db('users').where({ openid: 'dev-bob' }).first())).toMatchObject({
        staff_role: 'finance',
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'when REDIS_URL is set, then promote tells the running instances to forget the user (auth:forget); with Redis unreachable it still promotes',
    async () => {
      const redis = await startRedis();
      const listener = new Redis(`redis://127.0.0.1:${redis.port}`);
      try {
        const heard: string[] = [];
        await listener.subscribe('auth:forget');
        listener.on('message', (_channel: string, message: string) => heard.push(message));
        const target = freshDatabaseUrl();
        await cli(target, 'migrate');
        await cli(target, 'seed');
        const alice = await inspect(target.url, (db) => db('users').where({ openid: 'dev-alice' }).first());

        const told = await cli({ ...target, env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } }, 'promote', 'dev-alice');
        expect(told).toMatchObject({
          code: 0,
          stdout: 'promoted dev-alice to admin (admin)\nrunning instances told (Redis): the role applies to the next request\n',
        });
        await expect.poll(() => heard).toEqual([String(alice.id)]);

        const port = await freePort();
        const alone = await cli({ ...target, env: { REDIS_URL: `redis://127.0.0.1:${port}` } }, 'promote', 'dev-bob', 'agent');
        expect(alone).toMatchObject({
          code: 0,
          stdout:
            'promoted dev-bob to admin (agent)\nthe role applies to their open sessions within 10000 ms (SESSION_CACHE_MS)\n',
        });
      } finally {
        listener.disconnect();
        await redis.stop();
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'when promote has no openid, then it exits 2 with the usage',
    async () => {
      const target = freshDatabaseUrl();
      await cli(target, 'migrate');

      const res = await cli(target, 'promote');

      expect(res.code).toBe(2);
      expect(res.stderr).toContain('usage:');
    },
    CLI_TIMEOUT,
  );
});

describe.runIf(!usingMysql)('db CLI: usage', () => {
  it(
    'when the command is unknown or missing, then it exits 2 with the usage and touches nothing',
    async () => {
      const target = freshDatabaseUrl();

      const unknown = await cli(target, 'frobnicate');
      const missing = await cli(target);

      for (const res of [unknown, missing]) {
        expect(res.code).toBe(2);
        expect(res.stdout).toBe('');
        expect(res.stderr).toMatch(/^usage: db\.ts migrate \| rollback \| seed \| reset/);
      }
      expect(await inspect(target.url, (db) => db.schema.hasTable('users'))).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    'when the configuration is invalid, then it exits 1 with the configuration problem',
    async () => {
      const target = { ...freshDatabaseUrl(), url: 'postgres://nope' };

      const res = await cli(target, 'migrate');

      expect(res.code).toBe(1);
      expect(res.stderr).toContain('DATABASE_URL');
    },
    CLI_TIMEOUT,
  );
});
