/**
 * npm run bench [-- scenario ...] — benchmarks of the hot paths, each against its ceiling measured in
 * the same run (the machine is shared and noisy: compare ratios, not absolute numbers).
 *
 * The API runs in a child process on a real database: a fresh SQLite file by default, or the
 * database named by BENCH_DATABASE_URL (mysql://…), which is WIPED and re-migrated. BENCH_SECONDS
 * sets each load phase's length (default 10); BENCH_SCALE scales the seeded world (default 1:
 * 1,000 electricians, 200 customers, 100,000 orders of which 20,000 pending). BENCH_NODE runs the
 * servers on another node binary (MySQL only).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../api/src/config';
import { createDb, dialectOf, migrateLatest, migrateRollback } from '../api/src/db';
import { serverNode, startApi } from './lib/api';
import type { BenchContext } from './lib/context';
import { seedWorld } from './lib/seed';
import { printTable, type Row } from './lib/stats';
import * as ceilingHttp from './scenarios/ceiling-http';
import * as chat from './scenarios/chat';
import * as create from './scenarios/create';
import * as fanOut from './scenarios/fan-out';
import * as floor from './scenarios/floor';
import * as grab from './scenarios/grab';
import * as hall from './scenarios/hall';
import * as hallIndex from './scenarios/hall-index';
import * as lifecycle from './scenarios/lifecycle';
import * as roundTrips from './scenarios/round-trips';

const SCENARIOS: Record<string, { run(ctx: BenchContext): Promise<Row[]> }> = {
  'ceiling-http': ceilingHttp,
  floor,
  hall,
  'hall-index': hallIndex,
  grab,
  create,
  'fan-out': fanOut,
  chat,
  lifecycle,
  'round-trips': roundTrips,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SCENARIOS[w]);
  if (unknown.length) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
    process.exit(2);
  }
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const scale = Number(process.env.BENCH_SCALE ?? 1);

  // better-sqlite3's addon is built for this machine's node: another node can only run the API on MySQL.
  if (process.env.BENCH_NODE && !process.env.BENCH_DATABASE_URL) {
    process.stderr.write('BENCH_NODE needs BENCH_DATABASE_URL: the SQLite driver is built for this node only\n');
    process.exit(2);
  }
  const nodeOfServers = execFileSync(serverNode(), ['--version'], { encoding: 'utf8' }).trim();
  process.stdout.write(`servers on node ${nodeOfServers}\n`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-bench-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(tmp, 'bench.sqlite3')}`;
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl });
  const db = createDb(databaseUrl);
  const t0 = performance.now();
  if (dialectOf(databaseUrl) === 'mysql') await migrateRollback(db, true);
  await migrateLatest(db);
  const world = await seedWorld(db, config, {
    customers: Math.max(10, Math.round(200 * scale)),
    electricians: Math.max(250, Math.round(1000 * scale)),
    orders: Math.round(100_000 * scale),
  });
  process.stdout.write(`seeded ${dialectOf(databaseUrl)} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const api = await startApi({ DATABASE_URL: databaseUrl, UPLOAD_ROOT: path.join(tmp, 'uploads'), MAX_ACTIVE_ORDERS: '50' });
  const rows: Row[] = [];
  try {
    const ctx: BenchContext = { url: api.url, db, config, world, seconds, apiRssMb: () => api.rssMb(), apiPid: api.child.pid };
    for (const name of names) {
      process.stdout.write(`running ${name}…\n`);
      const done = await SCENARIOS[name]!.run(ctx);
      printTable(done);
      rows.push(...done);
    }
  } finally {
    await api.stop();
    await db.destroy();
  }

  printTable(rows);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    serverNode: nodeOfServers,
  };
  const out = path.resolve('bench/results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-${dialectOf(databaseUrl)}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), database: dialectOf(databaseUrl), seconds, scale, machine, rows }, null, 2),
  );
  process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (rows.some((r) => r.note?.startsWith('WINNERS NOT 1'))) {
    process.stderr.write('grab race: some order did not have exactly one winner\n');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
