import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db';

/**
 * SQLite shared by several processes (two API processes in development, a script beside the
 * server): WAL lets readers go on, but a transaction that has read and then writes while another
 * connection holds the write lock is refused at once (SQLITE_BUSY: SQLite does not wait there, as
 * waiting could deadlock), whatever the busy timeout. Our transactions take the write lock first.
 * (better-sqlite3 waits synchronously, so the other writer must be another process.)
 */
describe.skipIf(process.env.TEST_DB === 'mysql')('SQLite transactions across connections', () => {
  let dir: string;
  let a: Db;
  let b: Db;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-db-'));
    const url = `sqlite:${path.join(dir, 'shared.sqlite3')}`;
    a = createDb(url);
    b = createDb(url);
    await a.schema.createTable('counters', (t) => {
      t.integer('id').primary();
      t.integer('n').notNullable();
    });
    await a('counters').insert({ id: 1, n: 0 });
  });
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a transaction reads then writes while another process is writing, then it waits for it and both increments land', async () => {
    // The other process: takes the write lock, writes, holds it a moment, commits.
    const other = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('busy_timeout = 5000');
         db.exec('BEGIN IMMEDIATE');
         db.prepare('UPDATE counters SET n = n + 1 WHERE id = 1').run();
         process.stdout.write('holding\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
        path.join(dir, 'shared.sqlite3'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((r) => other.once('exit', r));
    await new Promise<void>((r) => other.stdout.once('data', () => r()));
    await b.transaction(async (trx) => {
      const { n } = (await trx('counters').where({ id: 1 }).first()) as { n: number };
      await trx('counters')
        .where({ id: 1 })
        .update({ n: n + 1 });
    });
    expect(await exited).toBe(0);
    expect(((await a('counters').where({ id: 1 }).first()) as { n: number }).n).toBe(2);
  });
});
