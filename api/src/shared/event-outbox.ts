import type { Knex } from 'knex';
import { dialect, insertId, type Db } from '../db';
import { batched } from './batched';
import type { Clock } from './clock';
import type { EventBus } from './events';
import type { Logger } from './logger';

/**
 * Domain events that survive a crash. A service stages its event inside the transaction that
 * makes it true: one `event_outbox` row, committed or rolled back with the change. On commit the
 * event is published, and once every subscriber has handled it the row is deleted. A row left
 * behind (the process died after the commit, or a subscriber failed) is published again by
 * `redeliver` (the `events.redeliver` job) once it is `REDELIVER_AFTER_MS` old, with backoff.
 *
 * Subscribers are therefore idempotent: notifications and subscribe messages by their source key,
 * the chat's status lines by the order event id, dispatch by the order's dispatch status. A
 * redelivered event is marked (`isRedelivery`) so that realtime pushes skip it: pushed late, its
 * state may be stale, and clients reload the truth when they reconnect.
 */
export interface DurableBus<E extends { name: string }> extends EventBus<E> {
  /**
   * Records `event` in `trx` (its row written as `trx` commits, in one insert with every other row
   * staged in it); publishes it after the commit (nothing, if it rolls back).
   */
  stage(trx: Knex.Transaction, event: E): Promise<void>;
  /** Publishes again the events whose delivery did not finish; returns how many were handled. */
  redeliver(limit?: number): Promise<number>;
  /**
   * Runs `handler` inside the transaction that stages `name` (or any event, for `'*'`), before the
   * event's row is written: a module writes its own rows for the event in the same commit, instead
   * of in a transaction of its own after it. A handler that fails fails the transaction. It runs
   * when the event is staged, not when it is redelivered: the bus's subscribers still see every
   * delivery and tell a redelivery (`isRedelivery`) from a first one, whose rows are already there.
   */
  within<N extends E['name']>(
    name: N | '*',
    handler: (event: Extract<E, { name: N }>, trx: Knex.Transaction) => Promise<void>,
  ): () => void;
}

export const REDELIVER_AFTER_MS = 60_000;
export const MAX_DELIVERY_ATTEMPTS = 10;

const redeliveries = new WeakSet<object>();

/** True for an event published again by `redeliver` (not when it first happened). */
export function isRedelivery(event: object): boolean {
  return redeliveries.has(event);
}

/** JSON with dates kept as dates (`{"$date": iso}`), so a stored event reads back as it was. */
export function serializeEvent(event: object): string {
  return JSON.stringify(event, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
}

export function parseEvent<E>(json: string): E {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const date = (value as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof date === 'string') return new Date(date);
    }
    return value;
  }) as E;
}

/** The outermost transaction: a savepoint's commit is not the commit. */
function outermost(trx: Knex.Transaction): Knex.Transaction {
  let top = trx;
  while (top.parentTransaction) top = top.parentTransaction;
  return top;
}

/**
 * Which `event_outbox` rows a bus redelivers, by event name (a LIKE pattern): the chat bus owns
 * `chat.%`, the domain bus every other name, so that each row goes back to the bus that staged it.
 */
export type OutboxScope = { only: string } | { except: string };

export const CHAT_EVENTS: OutboxScope = { only: 'chat.%' };
export const DOMAIN_EVENTS: OutboxScope = { except: 'chat.%' };

/**
 * Deletes delivered rows together (`batched`): at most one delete in flight per database, and the rows
 * whose delivery finished while it ran (on every bus over this database) go in the next one. Idle, a
 * row goes as soon as it did one delete each; busy, an instance delivering many events at a time
 * sends a delete per round trip of the last one, not one per event (nor one per turn).
 */
type Forget = (ids: readonly number[]) => Promise<unknown>;
const forgetters = new WeakMap<Db, Forget>();

function forgetter(db: Db, logger: Logger): Forget {
  const known = forgetters.get(db);
  if (known) return known;
  const forget = batched(async (ids: number[]) => {
    try {
      await db('event_outbox').whereIn('id', ids).delete();
    } catch (err) {
      // Delivered; the rows are delivered again later, which idempotent subscribers absorb.
      logger.warn({ err, ids }, 'delivered events not cleared from the outbox');
    }
    return new Map<number, never>();
  });
  forgetters.set(db, forget);
  return forget;
}

/** An `event_outbox` row as staged. */
interface OutboxRow {
  name: string;
  payload: string;
  created_at: Date;
  available_at: Date;
  attempts: number;
}

/** A row as written: its id, and `settle`, which each delivery of its insert's rows calls once (see `together`). */
interface Written {
  id: number;
  settle: (delivered: boolean) => Promise<void>;
}

/** A row staged in a transaction and not yet written: `written` hands it (or nothing, rolled back) to its bus. */
interface Pending {
  row: OutboxRow;
  written: (row: Written | undefined) => void;
}

type Ending = (value?: unknown) => unknown;
type Ends = { commit: Ending; rollback: Ending };

/**
 * The rows staged in each transaction (or savepoint), written together: every bus over a database
 * stages into the list of the transaction it is given, and the list goes in one insert just before
 * that transaction commits (its `commit` does it first) — a step that stages its domain event and its
 * chat delivery writes one statement, not two. Each row keeps the bus that staged it: its id goes
 * back to that bus alone, which delivers and forgets it (the buses' scopes are unchanged). A failed
 * insert fails the commit, which rolls back; a rollback (of a savepoint too) drops the list, and
 * its events are never delivered.
 */
const pendingIn = new WeakMap<Knex.Transaction, Pending[]>();

/**
 * The rows of one insert are forgotten together, once every one of them has been delivered (or has
 * failed, which leaves it for redelivery): a step's chat delivery, done first, waits the few
 * milliseconds of its domain event's so that one delete takes both. Nothing is redelivered sooner
 * for it: a row is only due again REDELIVER_AFTER_MS after it was written.
 */
function together(ids: number[], forget: Forget): Written[] {
  let left = ids.length;
  const delivered: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  return ids.map((id) => ({
    id,
    settle: (ok) => {
      if (ok) delivered.push(id);
      if (--left === 0) void (delivered.length > 0 ? forget(delivered) : Promise.resolve()).then(done);
      return all;
    },
  }));
}

function stageRow(trx: Knex.Transaction, pending: Pending, increment: () => Promise<number>, forget: Forget): void {
  const known = pendingIn.get(trx);
  if (known) {
    known.push(pending);
    return;
  }
  const list = [pending];
  pendingIn.set(trx, list);
  const ends = trx as unknown as Ends;
  const { commit, rollback } = ends;
  // A failed insert rejects the commit: knex then rolls the transaction back (through `rollback` below).
  ends.commit = (value) => writePending(trx, list, increment, forget).then(() => commit(value));
  ends.rollback = (err) => {
    pendingIn.delete(trx);
    for (const p of list.splice(0)) p.written(undefined);
    return rollback(err);
  };
}

async function writePending(
  trx: Knex.Transaction,
  list: Pending[],
  increment: () => Promise<number>,
  forget: Forget,
): Promise<void> {
  pendingIn.delete(trx);
  const pending = list.splice(0);
  if (pending.length === 0) return;
  const ids = await insertIds(
    trx,
    pending.map((p) => p.row),
    increment,
  );
  const written = together(ids, forget);
  pending.forEach((p, i) => p.written(written[i]));
}

/**
 * Inserts the rows in one statement and returns their ids, in the rows' order: a statement's rows
 * take increasing ids in the order they are inserted. SQLite returns them (RETURNING, in no promised
 * order: sorted). MySQL returns the first: InnoDB reserves the ids of an insert whose row count it
 * knows (a "simple insert") as one block, in every `innodb_autoinc_lock_mode`, so the others follow
 * it by `auto_increment_increment`.
 */
async function insertIds(trx: Knex.Transaction, rows: OutboxRow[], increment: () => Promise<number>): Promise<number[]> {
  if (rows.length === 1) return [await insertId(trx, 'event_outbox', rows[0]!)];
  if (dialect(trx as unknown as Db) === 'sqlite') {
    const returned = (await trx('event_outbox').insert(rows).returning('id')) as { id: unknown }[];
    return returned.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
  const [first] = await trx('event_outbox').insert(rows);
  const step = await increment();
  return rows.map((_, i) => Number(first) + i * step);
}

/** `auto_increment_increment` of a MySQL database, read once (1 on SQLite, and on any failure read again next time). */
const increments = new WeakMap<Db, Promise<number>>();

function incrementOf(db: Db): () => Promise<number> {
  const read = (): Promise<number> => {
    const known = increments.get(db);
    if (known) return known;
    const reading =
      dialect(db) === 'sqlite'
        ? Promise.resolve(1)
        : db.raw('select @@auto_increment_increment as n').then((r: unknown) => {
            const rows = (r as [Record<string, unknown>[]])[0];
            return Number(rows[0]!.n);
          });
    increments.set(db, reading);
    reading.catch(() => increments.delete(db));
    return reading;
  };
  // Read when the bus is made, so that no transaction waits for it.
  read().catch(() => undefined);
  return read;
}

export function createDurableBus<E extends { name: string }>(d: {
  bus: EventBus<E>;
  db: Db;
  clock: Clock;
  logger: Logger;
  scope: OutboxScope;
}): DurableBus<E> {
  const { bus, db, clock, logger, scope } = d;
  const deliveries = new Set<Promise<unknown>>();

  function track(p: Promise<unknown>): void {
    deliveries.add(p);
    void p.finally(() => deliveries.delete(p));
  }

  const forget = forgetter(db, logger);
  const increment = incrementOf(db);
  const inside = new Map<string, Set<(event: E, trx: Knex.Transaction) => Promise<void>>>();

  /** Publishes (through the durable bus itself) and, when every subscriber succeeded, forgets the row. */
  async function deliver(id: number, event: E): Promise<boolean> {
    if (!(await durable.publish(event))) return false;
    await forget([id]);
    return true;
  }

  /** `deliver` for a row just written: forgotten with the rows of its insert, when all are delivered. */
  async function deliverWritten(row: Written, event: E): Promise<boolean> {
    let ok = false;
    try {
      ok = await durable.publish(event);
    } finally {
      await row.settle(ok);
    }
    return ok;
  }

  const durable: DurableBus<E> = {
    publish: (event) => bus.publish(event),
    subscribe: (name, handler) => bus.subscribe(name, handler),

    /** Waits for every delivery and handler, including those that earlier ones set off. */
    async drain() {
      for (;;) {
        await bus.drain();
        if (deliveries.size === 0) return;
        await Promise.allSettled([...deliveries]);
      }
    },

    within(name, handler) {
      const set = inside.get(name) ?? new Set();
      inside.set(name, set);
      const h = handler as (event: E, trx: Knex.Transaction) => Promise<void>;
      set.add(h);
      return () => set.delete(h);
    },

    async stage(trx, event) {
      for (const key of [event.name, '*']) for (const handler of inside.get(key) ?? []) await handler(event, trx);
      const now = clock.now();
      let written!: (row: Written | undefined) => void;
      const row = new Promise<Written | undefined>((resolve) => (written = resolve));
      // Written with the other rows staged in `trx`, when it commits (see `pendingIn`).
      stageRow(
        trx,
        {
          row: {
            name: event.name,
            payload: serializeEvent(event),
            created_at: now,
            available_at: new Date(now.getTime() + REDELIVER_AFTER_MS),
            attempts: 0,
          },
          written,
        },
        increment,
        forget,
      );
      track(
        outermost(trx).executionPromise.then(
          async () => {
            const stored = await row;
            // Its savepoint rolled back: the event never happened.
            return stored === undefined ? false : deliverWritten(stored, event);
          },
          () => false, // rolled back: the event never happened
        ),
      );
    },

    async redeliver(limit = 100) {
      const now = clock.now();
      const due = await db('event_outbox')
        .where('available_at', '<=', now)
        .andWhere('attempts', '<', MAX_DELIVERY_ATTEMPTS)
        .modify((q) => ('only' in scope ? q.andWhere('name', 'like', scope.only) : q.andWhere('name', 'not like', scope.except)))
        .orderBy('id')
        .limit(limit)
        .select('id', 'name', 'payload', 'attempts');
      let handled = 0;
      for (const row of due) {
        const attempts = Number(row.attempts) + 1;
        // The claim: one instance redelivers a row at a time, and the next try backs off.
        const claimed = await db('event_outbox')
          .where({ id: row.id, attempts: row.attempts })
          .update({ attempts, available_at: new Date(now.getTime() + REDELIVER_AFTER_MS * 2 ** Math.min(attempts, 6)) });
        if (!claimed) continue;
        const event = parseEvent<E>(String(row.payload));
        redeliveries.add(event);
        const delivery = deliver(Number(row.id), event);
        track(delivery);
        if (await delivery) handled++;
        else if (attempts >= MAX_DELIVERY_ATTEMPTS)
          logger.error({ id: row.id, event: row.name, attempts }, 'event delivery gave up; the row stays in event_outbox');
      }
      if (handled > 0) logger.info({ handled }, 'undelivered events redelivered');
      return handled;
    },
  };
  return durable;
}
