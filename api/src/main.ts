import fs from 'node:fs';
import { loadConfig, ConfigError } from './config';
import { createContainer } from './container';
import { dialect, migrateLatest } from './db';
import { start } from './server';
import { seedDemoIfEmpty } from '../../seeds';

async function main(): Promise<void> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const c = createContainer(config);

  // The embedded database migrates itself so that `npm start` works on a fresh machine; MySQL
  // deployments run `npm run migrate` (or the Docker entrypoint) as a separate step.
  if (dialect(c.db) === 'sqlite') {
    const applied = await migrateLatest(c.db);
    if (applied.length > 0) c.logger.info({ applied }, 'migrations applied');
  }
  if (config.seedDemo && (await seedDemoIfEmpty(c.db, c.clock, { idCardKey: config.idCardKey })))
    c.logger.info('demo data seeded');

  const running = await start(c);
  c.logger.info({ url: running.url, env: config.env, wechat: config.wechat.mode, pay: config.wxpay.mode }, 'API listening');

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    const timeoutMs = config.shutdownTimeoutMs;
    c.logger.info({ signal, timeoutMs }, 'shutting down');
    // Shutdown always ends: past the deadline the process exits non-zero, naming what was still open.
    setTimeout(() => {
      c.logger.error({ timeoutMs, stillOpen: running.stillOpen() }, 'shutdown deadline passed, exiting with parts still open');
      process.exit(1);
    }, timeoutMs).unref();
    // A client closed mid-command (a Redis publish queued while Redis was down) rejects its promise:
    // that is expected now, not a reason to die before the rest has closed.
    process.on('unhandledRejection', (err) => c.logger.warn({ err }, 'rejected while shutting down'));
    // In-flight requests get most of the deadline; the rest is for draining and closing.
    running.stop(Math.floor(timeoutMs * 0.6)).then(
      () => process.exit(0),
      (err: unknown) => {
        c.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
