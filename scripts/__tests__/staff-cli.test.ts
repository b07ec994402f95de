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
