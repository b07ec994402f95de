import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';

/**
 * The session check of authenticated requests and socket events, from memory: who the caller is
 * (role, staff role) and that their session is live, read from the database once and then kept for
 * at most `maxAgeMs`. Only a live session is kept: a refused token is read again every time.
 *
 * Whatever changes a principal through the platform (logout, a ban, a stolen refresh token, a
 * password reset, a role change, a promotion, the account deleted) makes every instance `forget`
 * the user at its commit (auth.module.ts), so it takes effect on the next request. A change
 * written into the database by hand reaches the cache when its entry expires (SESSION_CACHE_MS).
 *
 * A read racing a forget must not keep what it read before the change committed: every forget
 * moves a generation on, and a read only stores its answer if none happened since it began.
 * Concurrent first requests of one session share one read.
 */
export interface SessionCache {
  /** The principal of the session: held, or `load`ed from the database (and held if nothing was forgotten meanwhile). */
  principal(userId: number, sessionId: string, load: () => Promise<Principal>): Promise<Principal>;
  /** Drops every session of the user held by this instance. */
  forget(userId: number): void;
  /** Drops everything (the instance may have missed forgets). */
  clear(): void;
  /** Sessions held. */
  size(): number;
}

/** The channel on which an instance tells every instance to forget a user's sessions (the message: the user id). */
export const FORGET_CHANNEL = 'auth:forget';

interface Held {
  principal: Principal;
  expiresAt: number;
}

export function createSessionCache(o: { clock: Clock; maxAgeMs: number; maxUsers?: number }): SessionCache {
  const maxUsers = o.maxUsers ?? 100_000;
  // By user, then session; Map order is insertion order, so the first user is the oldest held.
  const held = new Map<number, Map<string, Held>>();
  const reading = new Map<string, { generation: number; read: Promise<Principal> }>();
  let generation = 0;
  let sessions = 0;

  function drop(userId: number) {
    const of = held.get(userId);
    if (!of) return;
    sessions -= of.size;
    held.delete(userId);
  }

  function keep(p: Principal, now: number) {
    let of = held.get(p.id);
    if (!of) {
      if (held.size >= maxUsers) drop(held.keys().next().value!);
      of = new Map();
      held.set(p.id, of);
    }
    if (!of.has(p.sessionId)) sessions++;
    of.set(p.sessionId, { principal: p, expiresAt: now + o.maxAgeMs });
  }

  return {
    async principal(userId, sessionId, load) {
      if (o.maxAgeMs <= 0) return load();
      const now = o.clock.now().getTime();
      const entry = held.get(userId)?.get(sessionId);
      if (entry && entry.expiresAt > now) return entry.principal;
      const key = `${userId}:${sessionId}`;
      const pending = reading.get(key);
      if (pending && pending.generation === generation) return pending.read;
      const started = generation;
      const read = load().then((p) => {
        if (generation === started) keep(p, now);
        return p;
      });
      reading.set(key, { generation: started, read });
      try {
        return await read;
      } finally {
        if (reading.get(key)?.read === read) reading.delete(key);
      }
    },
    forget(userId) {
      generation++;
      drop(userId);
    },
    clear() {
      generation++;
      held.clear();
      sessions = 0;
    },
    size: () => sessions,
  };
}
