import type { Clock } from './clock';

/**
 * Reads of a user's rows kept in memory for at most `maxAgeMs`, by user and key: the session checks
 * (auth's session-cache.ts, by session) and the profile the hall reads (electricians). Only a
 * successful read is kept: a refusal is read again every time. A value asked for in the last quarter
 * of its age is answered at once and read again behind the answer, so that only a user's first
 * request (or one after a pause) waits for the database.
 *
 * Whatever changes what was read must make every instance `forget` the user at its commit (each
 * owner says how, over `Broadcast`). A read racing a forget must not keep what it read before the
 * change committed: every forget moves a generation on, and a read only stores its answer if none
 * happened since it began. Concurrent first reads of one key share one read.
 */
export interface HeldReads<V> {
  /** The value held for (user, key), or `load`ed (and held if nothing was forgotten meanwhile). */
  read(userId: number, key: string, load: () => Promise<V>): Promise<V>;
  /** Drops everything of the user held by this instance. */
  forget(userId: number): void;
  /** Drops everything (the instance may have missed forgets). */
  clear(): void;
  /** Values held. */
  size(): number;
}

interface Held<V> {
  value: V;
  expiresAt: number;
}

export function createHeldReads<V>(o: { clock: Clock; maxAgeMs: number; maxUsers?: number }): HeldReads<V> {
  const maxUsers = o.maxUsers ?? 100_000;
  // By user, then key; Map order is insertion order, so the first user is the oldest held.
  const held = new Map<number, Map<string, Held<V>>>();
  const reading = new Map<string, { generation: number; read: Promise<V> }>();
  let generation = 0;
  let count = 0;

  function drop(userId: number) {
    const of = held.get(userId);
    if (!of) return;
    count -= of.size;
    held.delete(userId);
  }

  function keep(userId: number, key: string, value: V, now: number) {
    let of = held.get(userId);
    if (!of) {
      if (held.size >= maxUsers) drop(held.keys().next().value!);
      of = new Map();
      held.set(userId, of);
    }
    if (!of.has(key)) count++;
    of.set(key, { value, expiresAt: now + o.maxAgeMs });
  }

  /** Reads (user, key), sharing a read under way since the last forget, and holds what it read. */
  async function readAndHold(userId: number, key: string, load: () => Promise<V>, now: number): Promise<V> {
    const flight = `${userId}:${key}`;
    const pending = reading.get(flight);
    if (pending && pending.generation === generation) return pending.read;
    const started = generation;
    const read = load().then((value) => {
      if (generation === started) keep(userId, key, value, now);
      return value;
    });
    reading.set(flight, { generation: started, read });
    try {
      return await read;
    } finally {
      if (reading.get(flight)?.read === read) reading.delete(flight);
    }
  }

  return {
    async read(userId, key, load) {
      if (o.maxAgeMs <= 0) return load();
      const now = o.clock.now().getTime();
      const entry = held.get(userId)?.get(key);
      if (entry && entry.expiresAt > now) {
        // In its last quarter a held value is renewed behind the answer: a user who keeps asking never
        // waits for the database again, and what they are answered is still never older than maxAgeMs.
        // A failed renewal is dropped: the value then expires and the next request reads (and fails) itself.
        if (entry.expiresAt - now <= o.maxAgeMs / 4) readAndHold(userId, key, load, now).catch(() => undefined);
        return entry.value;
      }
      return readAndHold(userId, key, load, now);
    },
    forget(userId) {
      generation++;
      drop(userId);
    },
    clear() {
      generation++;
      held.clear();
      count = 0;
    },
    size: () => count,
  };
}
