/**
 * Ops CLI: npm run migrate | migrate:rollback | seed | db:reset | admin:promote -- <openid>
 * (compiled: node dist/scripts/db.js <command>). Uses DATABASE_URL like the API.
 */
import fs from 'node:fs';
import { loadConfig } from '../api/src/config';
import { createDb, migrateLatest, migrateRollback } from '../api/src/db';
import { forgetSessionsEverywhere } from '../api/src/modules/auth';
import { systemClock } from '../api/src/shared/clock';
import { STAFF_ROLES } from '../api/src/shared/permissions';
import { runSeeds } from '../seeds';

const USAGE = 'usage: db.ts migrate | rollback | seed | reset [--force] | promote <openid> [staffRole]';

async function run(argv: string[]): Promise<number> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...args] = argv;
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  const out = (msg: string) => process.stdout.write(`${msg}\n`);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateLatest(db);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
        return 0;
      }
      case 'rollback': {
        const reverted = await migrateRollback(db);
        out(reverted.length ? `rolled back: ${reverted.join(', ')}` : 'nothing to roll back');
        return 0;
      }
      case 'seed': {
        out(`seeded: ${(await runSeeds(db, systemClock, { idCardKey: config.idCardKey })).join(', ')}`);
        return 0;
      }
      case 'reset': {
        if (config.isProduction && !args.includes('--force')) {
          process.stderr.write('refusing to reset a production database without --force\n');
          return 1;
        }
        await migrateRollback(db, true);
        await migrateLatest(db);
        await runSeeds(db, systemClock, { idCardKey: config.idCardKey });
        out('database reset: migrated and seeded');
        return 0;
      }
      case 'promote': {
        const [openid, staffRole = 'admin'] = args;
        if (!openid || !(STAFF_ROLES as readonly string[]).includes(staffRole)) {
          process.stderr.write(`${USAGE}\nstaffRole is one of ${STAFF_ROLES.join(', ')}\n`);
          return 2;
        }
        const n = await db('users')
          .where({ openid })
          .update({ user_type: 'admin', staff_role: staffRole, updated_at: new Date() });
        if (n === 0) {
          process.stderr.write(`no user with openid ${openid}: the user must log in once first\n`);
          return 1;
        }
        out(`promoted ${openid} to admin (${staffRole})`);
        const user = await db('users').where({ openid }).first('id');
        out(
          (await forgetSessionsEverywhere(config.redisUrl, Number(user.id)))
            ? 'running instances told (Redis): the role applies to the next request'
            : `the role applies to their open sessions within ${config.sessionCacheMs} ms (SESSION_CACHE_MS)`,
        );
        return 0;
      }
      default:
        process.stderr.write(`${USAGE}\n`);
        return 2;
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
