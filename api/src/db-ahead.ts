import type { Knex } from 'knex';
import Client_MySQL2 from 'knex/lib/dialects/mysql2/index.js';

/**
 * Statements sent ahead: on MySQL, what a transaction writes but never reads the answer of goes to
 * the server with the transaction's next statement, in one round trip (a multi-statement query).
 * On this machine a write costs its round trip, not its statement (BENCHMARKS.md, `round-trips`).
 *
 * - `BEGIN` always waits for the transaction's first statement. A transaction that ends before
 *   sending anything sends nothing: its COMMIT or ROLLBACK has nothing to end.
 * - `sendAhead(trx, query)` queues a write (the order's holder, a conversation's participants, its
 *   last message's time, an idempotent answer): it goes, in the order it was queued, before the
 *   next statement the transaction sends, its COMMIT included.
 * - When the carried statement fails, the statements before it ran: it fails as if sent alone.
 * - When a statement sent ahead fails, the one it rode with never ran. That one fails with the
 *   statement's error (a deadlock stays a deadlock, so the transaction is run again), and so does
 *   every later statement of the transaction: its COMMIT rolls back instead. Nothing the transaction
 *   meant to write can commit without a write that failed.
 *
 * SQLite runs in the process: there, `sendAhead` runs the query at once.
 */

/** A mysql2 connection, as knex hands it to its client. */
interface Connection {
  query(options: { sql: string }, callback: (err: Error | null, rows: unknown, fields: unknown) => void): { _rows?: unknown[] };
  format(sql: string, values: readonly unknown[]): string;
  __knexUid?: string;
  __knexTxId?: string;
}

/** knex's query object, as its client's `_query` receives it. */
interface QueryObject {
  sql: string;
  bindings?: readonly unknown[];
  options?: object;
  response?: [unknown, unknown];
}

interface Statement {
  sql: string;
  bindings?: readonly unknown[];
}

/** A transaction's connection: what waits to go with its next statement, and whether one sent ahead failed. */
interface Pending {
  waiting: Statement[];
  /** BEGIN has reached the server. */
  begun: boolean;
  failed?: Error;
}

/** What `sendAhead` needs of a knex transaction object. */
interface TransactionLike {
  client: object & { emit(event: 'query', data: object): unknown };
  isCompleted(): boolean;
}

interface KnexTransaction {
  trxClient?: object;
  _onAcquire(container: unknown, connection: Connection): Promise<unknown>;
}

const BEGIN = 'BEGIN;';
const COMMIT = 'COMMIT;';
const ROLLBACK = 'ROLLBACK';
/** What a statement that changed nothing answers (BEGIN, for the transaction that waits on it). */
const NOTHING = { fieldCount: 0, affectedRows: 0, insertId: 0, info: '', serverStatus: 0, warningStatus: 0, changedRows: 0 };

/** By connection: set at BEGIN, gone at COMMIT or ROLLBACK. */
const pending = new WeakMap<Connection, Pending>();
/** By knex's per-transaction client (nested transactions have their own): its connection. */
const connectionOf = new WeakMap<object, Connection>();
/** By the knex instance's config (its transactions' clients share it): round trips to the server. */
const trips = new WeakMap<object, { n: number }>();

const bare = (sql: string) => sql.replace(/;\s*$/, '');

function counted(config: object): void {
  const n = trips.get(config);
  if (n) n.n += 1;
  else trips.set(config, { n: 1 });
}

/** knex's mysql2 client, sending statements ahead (see above). */
export class MySqlAheadClient extends Client_MySQL2 {
  override transaction(...args: unknown[]): unknown {
    const trx = super.transaction(...args) as KnexTransaction;
    const onAcquire = trx._onAcquire.bind(trx);
    trx._onAcquire = (container, connection) => {
      const running = onAcquire(container, connection);
      connectionOf.set(trx.trxClient!, connection);
      return running;
    };
    return trx;
  }

  override _query(connection: Connection, obj: QueryObject): Promise<unknown> {
    const sql = obj.sql;
    if (sql === BEGIN) {
      pending.set(connection, { waiting: [], begun: false });
      obj.response = [NOTHING, undefined];
      return Promise.resolve(obj);
    }
    const p = pending.get(connection);
    if (!p) return this.send(connection, obj);
    if (sql === ROLLBACK) {
      pending.delete(connection);
      if (!p.begun) {
        obj.response = [NOTHING, undefined];
        return Promise.resolve(obj);
      }
      return this.send(connection, obj);
    }
    if (sql === COMMIT) pending.delete(connection);
    if (p.failed) return this.refuse(connection, obj, p);
    if (sql === COMMIT && !p.begun && p.waiting.length === 0) {
      obj.response = [NOTHING, undefined];
      return Promise.resolve(obj);
    }
    const ahead = p.begun ? p.waiting : [{ sql: 'BEGIN' }, ...p.waiting];
    p.waiting = [];
    p.begun = true;
    return ahead.length === 0 ? this.send(connection, obj) : this.sendWith(connection, ahead, obj, p);
  }

  /** One statement in its own round trip. */
  private send(connection: Connection, obj: QueryObject): Promise<unknown> {
    counted(this.config);
    return super._query(connection, obj);
  }

  /** `ahead`, then `obj`, in one round trip. */
  private sendWith(connection: Connection, ahead: Statement[], obj: QueryObject, p: Pending): Promise<unknown> {
    counted(this.config);
    const sql = [...ahead, obj]
      .map((s) => bare(s.bindings === undefined ? s.sql : connection.format(s.sql, s.bindings)))
      .join(';\n');
    return new Promise((resolve, reject) => {
      const command = connection.query({ ...obj.options, sql }, (err, rows, fields) => {
        if (!err) {
          obj.response = [(rows as unknown[])[ahead.length], (fields as unknown[])[ahead.length]];
          return resolve(obj);
        }
        // The statements that completed before the one that failed each left a result.
        const completed = command._rows?.length ?? 0;
        if (completed >= ahead.length) return reject(err);
        p.failed = err;
        if (obj.sql !== COMMIT) return reject(err);
        // The COMMIT never ran: the transaction is still open on this connection.
        this.send(connection, { sql: ROLLBACK }).then(
          () => reject(err),
          () => reject(err),
        );
      });
    });
  }

  /** A statement of a transaction whose statement sent ahead failed: refused; a COMMIT rolls back. */
  private refuse(connection: Connection, obj: QueryObject, p: Pending): Promise<unknown> {
    const failed = p.failed!;
    if (obj.sql !== COMMIT) return Promise.reject(failed);
    return this.send(connection, { sql: ROLLBACK }).then(
      () => Promise.reject(failed),
      () => Promise.reject(failed),
    );
  }
}

/**
 * Queues a write whose answer the transaction does not need: on MySQL it goes with the
 * transaction's next statement (see above) and this resolves at once; its error surfaces at that
 * statement. Elsewhere (SQLite, or outside a transaction) the query runs now.
 */
export async function sendAhead(trx: Knex | Knex.Transaction, query: Knex.QueryBuilder | Knex.Raw): Promise<void> {
  const t = trx as unknown as TransactionLike;
  const connection = connectionOf.get(t.client);
  const p = connection && pending.get(connection);
  if (!connection || !p) {
    await query;
    return;
  }
  if (t.isCompleted()) throw new Error('Transaction query already complete');
  const { sql, bindings, method } = query.toSQL() as Knex.Sql;
  p.waiting.push({ sql, bindings });
  t.client.emit('query', {
    sql,
    bindings,
    method,
    ahead: true,
    __knexUid: connection.__knexUid,
    __knexTxId: connection.__knexTxId,
  });
}

/** Round trips this knex instance's MySQL client has made (0 on SQLite). */
export function roundTripsOf(db: Knex): number {
  return trips.get(db.client.config as object)?.n ?? 0;
}
