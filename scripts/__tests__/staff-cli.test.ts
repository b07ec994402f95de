import { execFile } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config';
import { createContainer } from '../../api/src/container';
import { createLogger } from '../../api/src/shared/logger';
import { createTestDatabase, testEnv, type TestDatabase } from '../../api/test/harness';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function staffCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      TSX,
      [path.join(ROOT, 'scripts/staff.ts'), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
  });
}

const signIn = (username: string, password: string) => {
  const config = loadConfig(testEnv({ DATABASE_URL: database.url }));
  const app = createApp(createContainer(config, { db: database.db, logger: createLogger('silent') }));
  return request(app).post('/api/admin/auth/login').send({ username, password });
};

describe('npm run staff:create', () => {
  it('when run with STAFF_PASSWORD, then the account exists, is audited, and signs in to the console API', async () => {
    const run = await staffCli(['create', '--username', 'ops.li', '--role', 'ops_manager', '--name', '李主管'], {
      STAFF_PASSWORD: 'Cli-passw0rd',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created staff ops\.li \(ops_manager\)/);
    const res = await signIn('ops.li', 'Cli-passw0rd');
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ staffRole: 'ops_manager', name: '李主管' });
    expect(await database.db('audit_logs').where({ action: 'staff.create_cli' }).count({ n: '*' }).first()).toMatchObject({
      n: 1,
    });
  });

  it('when the username exists, then it is refused unless --reset, which sets the new password and role', async () => {
    const again = await staffCli(['create', '--username', 'ops.li', '--role', 'agent'], { STAFF_PASSWORD: 'Other-passw0rd' });
    expect(again.code).toBe(1);
    expect((await signIn('ops.li', 'Other-passw0rd')).status).toBe(401);
    const reset = await staffCli(['create', '--username', 'ops.li', '--role', 'agent', '--reset'], {
      STAFF_PASSWORD: 'Other-passw0rd',
    });
    expect(reset.code).toBe(0);
    const res = await signIn('ops.li', 'Other-passw0rd');
    expect(res.status).toBe(200);
    expect(res.body.data.user.staffRole).toBe('agent');
  });

  it('when a staff account is created or reset, then its audit row was written ahead (pending) and finished as succeeded', async () => {
    const run = await staffCli(['create', '--username', 'audit.cli', '--role', 'agent'], { STAFF_PASSWORD: 'Cli-passw0rd' });
    expect(run.code).toBe(0);
    const reset = await staffCli(['create', '--username', 'audit.cli', '--role', 'finance', '--reset'], {
      STAFF_PASSWORD: 'Cli-passw0rd2',
    });
    expect(reset.code).toBe(0);
    const id = (await database.db('users').where({ username: 'audit.cli' }).first()).id;
    const rows = await database.db('audit_logs').whereRaw("details like '%audit.cli%'").orderBy('id');
    expect(rows).toMatchObject([
      { action: 'staff.create_cli', outcome: 'succeeded', target_id: null, actor_id: null },
      { action: 'staff.reset_cli', outcome: 'succeeded', target_id: String(id), actor_id: null },
    ]);
    for (const row of rows) expect(row.finished_at).not.toBeNull();
  });

  it('when the audit row cannot be written, then the CLI changes nothing and exits 1', async () => {
    await database.db.schema.renameTable('audit_logs', 'audit_logs_away');
    try {
      const run = await staffCli(['create', '--username', 'no.audit', '--role', 'agent'], { STAFF_PASSWORD: 'Cli-passw0rd' });
      const reset = await staffCli(['create', '--username', 'ops.li', '--role', 'finance', '--reset'], {
        STAFF_PASSWORD: 'Third-passw0rd',
      });
      expect(run.code).toBe(1);
      expect(reset.code).toBe(1);
    } finally {
      await database.db.schema.renameTable('audit_logs_away', 'audit_logs');
    }
    expect(await database.db('users').where({ username: 'no.audit' }).first()).toBeUndefined();
    expect((await database.db('users').where({ username: 'ops.li' }).first()).staff_role).toBe('agent');
    expect((await signIn('ops.li', 'Third-passw0rd')).status).toBe(401);
  });

  it('when the role, the password or a terminal is missing, then exit 2 and no account', async () => {
    expect((await staffCli(['create', '--username', 'x.bad', '--role', 'boss'], { STAFF_PASSWORD: 'Cli-passw0rd' })).code).toBe(
      2,
    );
    expect((await staffCli(['create', '--username', 'x.bad', '--role', 'agent'], { STAFF_PASSWORD: 'short' })).code).toBe(2);
    const noPassword = await staffCli(['create', '--username', 'x.bad', '--role', 'agent']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('STAFF_PASSWORD');
    expect(await database.db('users').where({ username: 'x.bad' }).first()).toBeUndefined();
  });
});
