/**
 * The real API as a child process for the mini-program's page tests (which run under jsdom, whose
 * globals break Node libraries such as file-type inside the same process). It starts the test app
 * on port 0, prints `{"url": ...}` on stdout, then answers one JSON command per stdin line with a
 * JSON line `{id, ok, result | error}`: test setup (logins, approved electricians), reads of
 * database rows for assertions, and moves of the hand-moved clock. Closing stdin stops it.
 */
import readline from 'node:readline';
import type { Duplex } from 'node:stream';
import { start } from '../src/server';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type ElectricianOptions } from './harness';

interface Command {
  id: number;
  op: 'login' | 'loginAsElectrician' | 'loginAsAdmin' | 'rows' | 'advance' | 'runJobs' | 'dropSockets';
  args: unknown[];
}

/** Extra API environment from the test (e.g. the fake WeChat Pay's WXPAY_*), as JSON in LIVE_API_ENV. */
function extraEnv(): Record<string, string> {
  const raw = process.env.LIVE_API_ENV;
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

async function main(): Promise<void> {
  const t = await createTestApp({ env: extraEnv() });
  const server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
  // Upgraded (WebSocket) connections, so that a test can cut them as a restart or a lost link would.
  const upgraded = new Set<Duplex>();
  server.server.on('upgrade', (_req, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  const ops: Record<Command['op'], (...args: never[]) => Promise<unknown>> = {
    login: (name: string) => login(t, name),
    loginAsElectrician: (name: string, opts: ElectricianOptions = {}) => loginAsElectrician(t, name, opts),
    loginAsAdmin: () => loginAsAdmin(t),
    rows: async (table: string, where: Record<string, unknown> = {}) => t.db(table).where(where).orderBy('id'),
    advance: async (ms: number) => {
      t.clock.advance(ms);
      return t.clock.now().toISOString();
    },
    /** Runs the periodic jobs once (expiries, dispatch offers, outboxes) as the scheduler would. */
    runJobs: async () => {
      for (const job of t.c.jobs) await job.run();
      return null;
    },
    dropSockets: async () => {
      const count = upgraded.size;
      for (const socket of upgraded) socket.destroy();
      return count;
    },
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = JSON.parse(line) as Command;
    void (async () => {
      try {
        const result = await ops[cmd.op](...(cmd.args as never[]));
        process.stdout.write(`${JSON.stringify({ id: cmd.id, ok: true, result })}\n`);
      } catch (err) {
        process.stdout.write(`${JSON.stringify({ id: cmd.id, ok: false, error: String(err) })}\n`);
      }
    })();
  });
  lines.on('close', () => {
    void (async () => {
      await server.stop(100);
      await t.close();
      process.exit(0);
    })();
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
