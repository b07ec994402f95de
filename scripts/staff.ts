/**
 * Ops CLI: npm run staff:create -- --username <u> --role <admin|ops_manager|agent|finance|inventory> [--name <n>] [--reset]
 * Creates a web-console staff account (or, with --reset, sets a new password and role on an existing
 * one and lifts a lockout). The password comes from STAFF_PASSWORD, or is asked for on a terminal.
 * Uses DATABASE_URL like the API and migrates nothing: run `npm run migrate` first.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../api/src/config';
import { createDb, isUniqueViolation } from '../api/src/db';
import type { StaffRole } from '../api/src/shared/auth';
import { systemClock } from '../api/src/shared/clock';
import { STAFF_ROLES } from '../api/src/shared/permissions';
import { forgetSessionsEverywhere } from '../api/src/modules/auth';
import { createAuthRepository } from '../api/src/modules/auth/auth.repository';
import { createStaffRepository } from '../api/src/modules/staff/staff.repository';
import { password as passwordSchema } from '../api/src/modules/staff/staff.schemas';
import { hashPassword } from '../api/src/modules/staff/staff.service';
import { createUsersRepository } from '../api/src/modules/users/users.repository';

const USAGE = `usage: staff.ts create --username <u> --role <${STAFF_ROLES.join('|')}> [--name <n>] [--reset]
  password: STAFF_PASSWORD from the environment, else asked for on a terminal`;

/** Reads a line without echoing it. */
async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function readPassword(): Promise<string | undefined> {
  if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
  if (!process.stdin.isTTY) return undefined;
  const first = await promptHidden('密码 (password): ');
  const second = await promptHidden('再次输入 (repeat): ');
  if (first !== second) throw new Error('两次输入的密码不一致 (passwords differ)');
  return first;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const username = arg('--username');
  const role = arg('--role');
  const name = arg('--name');
  const reset = args.includes('--reset');
  if (command !== 'create' || !username || !role || !(STAFF_ROLES as readonly string[]).includes(role)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
    process.stderr.write('username: 3–32 letters, digits, _ . -\n');
    return 2;
  }
  const password = await readPassword();
  if (password === undefined) {
    process.stderr.write('no password: set STAFF_PASSWORD or run on a terminal\n');
    return 2;
  }
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) {
    process.stderr.write(`${checked.error.issues.map((i) => i.message).join('; ')}\n`);
    return 2;
  }

  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  const staff = createStaffRepository(db, createUsersRepository(db, createAuthRepository(db)));
  const now = systemClock.now();
  const staffRole = role as StaffRole;
  try {
    const passwordHash = await hashPassword(password);
    const existing = await staff.findByUsername(username);
    if (existing && !reset) {
      process.stderr.write(`username ${username} exists: pass --reset to set a new password and role\n`);
      return 1;
    }
    // Audited write-ahead, like staff actions through the API: a pending row first (if it cannot be
    // written, nothing is changed), then its outcome. A row left pending: the CLI died during the change.
    const auditId = await staff.insertAudit(
      {
        actorId: null,
        actorRole: null,
        action: existing ? 'staff.reset_cli' : 'staff.create_cli',
        targetType: 'staff',
        targetId: existing ? String(existing.id) : null,
        details: { username, staffRole },
        outcome: 'pending',
      },
      now,
    );
    try {
      let id: number;
      if (existing) {
        await staff.update(existing.id, { staffRole, passwordHash, status: 'active' }, now);
        id = existing.id;
      } else {
        id = await staff.insertStaff({ username, passwordHash, staffRole, name: name ?? null }, now);
      }
      await staff.finishAudit(auditId, { outcome: 'succeeded', statusCode: null, errorCode: null }, systemClock.now());
      process.stdout.write(`${existing ? 'reset' : 'created'} staff ${username} (${staffRole}), id ${id}\n`);
      if (existing) {
        const told = await forgetSessionsEverywhere(config.redisUrl, id);
        process.stdout.write(
          told
            ? 'running instances told (Redis): the role applies to the next request\n'
            : `the role applies to open sessions within ${config.sessionCacheMs} ms (SESSION_CACHE_MS)\n`,
        );
      }
      return 0;
    } catch (err) {
      const taken = isUniqueViolation(err);
      await staff
        .finishAudit(
          auditId,
          { outcome: 'failed', statusCode: null, errorCode: taken ? 'USERNAME_TAKEN' : 'INTERNAL' },
          systemClock.now(),
        )
        .catch(() => undefined);
      if (taken) {
        process.stderr.write(`username ${username} is taken\n`);
        return 1;
      }
      throw err;
    }
  } finally {
    await db.destroy();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
