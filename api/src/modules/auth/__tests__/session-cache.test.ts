import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAs, createTestApp, login, loginAsAdmin, type TestApp } from '../../../../test/harness';
import type { Principal } from '../../../shared/auth';
import { ManualClock } from '../../../shared/clock';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { createSessionCache } from '../session-cache';

const someone = (id: number, sessionId = 's1', userType: Principal['userType'] = 'user'): Principal => ({
  id,
  openid: `o${id}`,
  userType,
  staffRole: null,
  sessionId,
});

describe('the session cache', () => {
  it('when a session is asked for again within the first three quarters of its max age, then it is not read again; after its max age, the request reads', async () => {
    const clock = new ManualClock(new Date('2026-12-05T10:00:00Z'));
    const cache = createSessionCache({ clock, maxAgeMs: 10_000 });
    let reads = 0;
    const load = async () => {
      reads++;
      return someone(1);
    };
    await cache.read(1, 's1', load);
    clock.advance(7_499);
    await cache.read(1, 's1', load);
    expect(reads).toBe(1);
    clock.advance(2_501);
    await cache.read(1, 's1', load);
    expect(reads).toBe(2);
  });

  it('when a session is asked for in the last quarter of its max age, then it is answered at once and read again behind the answer, once for all askers', async () => {
    const clock = new ManualClock(new Date('2026-12-05T10:00:00Z'));
    const cache = createSessionCache({ clock, maxAgeMs: 10_000 });
    let reads = 0;
    let release!: () => void;
    let role: Principal['userType'] = 'user';
    const load = () => {
      reads++;
      if (reads === 1) return Promise.resolve(someone(1, 's1', role));
      // The renewal waits until the test lets it finish.
      return new Promise<Principal>((resolve) => {
        release = () => resolve(someone(1, 's1', role));
      });
    };
    await cache.read(1, 's1', load);
    clock.advance(7_500);
    role = 'electrician';
    // Answered from what is held while the renewal is under way; three askers, one renewal.
    const answers = await Promise.all([cache.read(1, 's1', load), cache.read(1, 's1', load), cache.read(1, 's1', load)]);
    expect(answers.map((p) => p.userType)).toEqual(['user', 'user', 'user']);
    expect(reads).toBe(2);
    release();
    await new Promise((r) => setImmediate(r));
    // The renewal is held from when it began: 7,500 + 10,000 ms.
    clock.advance(9_999);
    expect((await cache.read(1, 's1', load)).userType).toBe('electrician');
    expect(reads).toBe(3); // that ask fell in the renewed value's last quarter: renewed again
    release();
    await new Promise((r) => setImmediate(r));
  });

  it('when a renewal fails or a forget overtakes it, then nothing stale is held and the next request past the max age reads itself', async () => {
    const clock = new ManualClock(new Date('2026-12-05T10:00:00Z'));
    const cache = createSessionCache({ clock, maxAgeMs: 10_000 });
    let reads = 0;
    let fail = false;
    const load = async () => {
      reads++;
      if (fail) throw new Error('database down');
      return someone(1);
    };
    await cache.read(1, 's1', load);
    clock.advance(8_000);
    fail = true;
    expect((await cache.read(1, 's1', load)).id).toBe(1); // answered; its renewal fails quietly
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    clock.advance(2_000);
    await expect(cache.read(1, 's1', load)).rejects.toThrow('database down');
    expect(reads).toBe(3);

    // A renewal under way when the user is forgotten is not kept.
    fail = false;
    await cache.read(1, 's1', load);
    clock.advance(8_000);
    let release!: () => void;
    const slow = () => {
      reads++;
      return new Promise<Principal>((resolve) => {
        release = () => resolve(someone(1, 's1', 'admin'));
      });
    };
    await cache.read(1, 's1', slow);
    cache.forget(1);
    release();
    await new Promise((r) => setImmediate(r));
    const before = reads;
    expect((await cache.read(1, 's1', load)).userType).toBe('user');
    expect(reads).toBe(before + 1);
  });

  it('when concurrent first requests ask for one session, then they share one read', async () => {
    const cache = createSessionCache({ clock: new ManualClock(new Date()), maxAgeMs: 10_000 });
    let reads = 0;
    const load = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return someone(1);
    };
    const all = await Promise.all(Array.from({ length: 50 }, () => cache.read(1, 's1', load)));
    expect(reads).toBe(1);
    expect(new Set(all.map((p) => p.id))).toEqual(new Set([1]));
  });

  it('when a user is forgotten while a read of their session is under way, then that read is not kept and a later request reads again', async () => {
    const cache = createSessionCache({ clock: new ManualClock(new Date()), maxAgeMs: 10_000 });
    let release!: () => void;
    const stale = cache.read(
      1,
      's1',
      () =>
        new Promise<Principal>((resolve) => {
          release = () => resolve(someone(1, 's1', 'user'));
        }),
    );
    cache.forget(1);
    // Asked after the forget: it must not join the read that began before it.
    let fresh = 0;
    const after = cache.read(1, 's1', async () => {
      fresh++;
      return someone(1, 's1', 'electrician');
    });
    release();
    expect((await stale).userType).toBe('user');
    expect((await after).userType).toBe('electrician');
    expect(fresh).toBe(1);
    // Only the read that began after the forget was kept.
    expect(cache.size()).toBe(1);
    const held = await cache.read(1, 's1', async () => {
      fresh++;
      return someone(1, 's1', 'admin');
    });
    expect(held.userType).toBe('electrician');
    expect(fresh).toBe(1);
  });

  it('when a user is forgotten, then all their sessions go and other users stay', async () => {
    const cache = createSessionCache({ clock: new ManualClock(new Date()), maxAgeMs: 10_000 });
    for (const [id, sid] of [
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
    ] as const)
      await cache.read(id, sid, async () => someone(id, sid));
    expect(cache.size()).toBe(3);
    cache.forget(1);
    expect(cache.size()).toBe(1);
    let reads = 0;
    await cache.read(2, 'a', async () => {
      reads++;
      return someone(2, 'a');
    });
    expect(reads).toBe(0);
  });

  it('when more users than the bound are held, then the oldest user is dropped; a failed read is never kept', async () => {
    const cache = createSessionCache({ clock: new ManualClock(new Date()), maxAgeMs: 10_000, maxUsers: 2 });
    for (const id of [1, 2, 3]) await cache.read(id, 's', async () => someone(id, 's'));
    expect(cache.size()).toBe(2);
    let reads = 0;
    await cache.read(1, 's', async () => {
      reads++;
      return someone(1, 's');
    });
    expect(reads).toBe(1);
    await expect(
      cache.read(9, 's', async () => {
        throw new Error('revoked');
      }),
    ).rejects.toThrow('revoked');
    await expect(
      cache.read(9, 's', async () => {
        throw new Error('still revoked');
      }),
    ).rejects.toThrow('still revoked');
  });

  it('when the max age is 0, then every request reads', async () => {
    const cache = createSessionCache({ clock: new ManualClock(new Date()), maxAgeMs: 0 });
    let reads = 0;
    for (let i = 0; i < 3; i++)
      await cache.read(1, 's1', async () => {
        reads++;
        return someone(1);
      });
    expect(reads).toBe(3);
    expect(cache.size()).toBe(0);
  });
});

/** An authenticated read that touches neither `users` nor `refresh_tokens` itself. */
const UNREAD = '/api/messages/unread-count';

/** The queries on `users` or `refresh_tokens` run while `fn` runs. */
async function sessionReadsDuring(t: TestApp, fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const listener = (q: { sql: string }) => {
    if (/from [`"](users|refresh_tokens)[`"]/i.test(q.sql)) n++;
  };
  t.db.on('query', listener);
  try {
    await fn();
  } finally {
    t.db.removeListener('query', listener);
  }
  return n;
}

describe('authenticated requests with the session cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when a session makes a second request, then the database is not asked who the caller is until the check expires', async () => {
    const s = await login(t, 'sc-reader');
    expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(s.auth).expect(200))).toBe(1);
    expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(s.auth).expect(200))).toBe(0);
    t.clock.advance(t.config.sessionCacheMs);
    try {
      expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(s.auth).expect(200))).toBe(1);
    } finally {
      t.clock.advance(-t.config.sessionCacheMs);
    }
  });

  it('when a held session logs out, then its next request is 401 and another session of the user is read again', async () => {
    const s = await login(t, 'sc-logout');
    const other = await login(t, 'sc-logout');
    expect((await t.http.get('/api/users/me').set(s.auth)).status).toBe(200);
    expect((await t.http.get('/api/users/me').set(other.auth)).status).toBe(200);
    expect((await t.http.post('/api/auth/logout').set(s.auth).send({ refreshToken: s.refreshToken })).status).toBe(200);
    const res = await t.http.get('/api/users/me').set(s.auth);
    expect(res.status).toBe(401);
    expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(other.auth).expect(200))).toBe(1);
  });

  it('when a held session is banned through the console, then its next request is 403', async () => {
    const admin = await loginAsAdmin(t);
    const s = await login(t, 'sc-banned');
    expect((await t.http.get('/api/users/me').set(s.auth)).status).toBe(200);
    const banned = await t.http
      .post(`/api/admin/users/${s.userId}/status`)
      .set(admin.auth)
      .send({ status: 'banned', reason: '刷单' });
    expect(banned.status).toBe(200);
    const res = await t.http.get('/api/users/me').set(s.auth);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it("when a held applicant's application is approved, then the same token acts as an electrician on the next request", async () => {
    const admin = await loginAsAdmin(t);
    const { s, id } = await applyAs(t, 'sc-applicant');
    const own = await placeOrder(t, s);
    // My orders are those I placed while I am a customer, those I took once I am an electrician.
    const mine = async () => ((await t.http.get('/api/orders').set(s.auth)).body.data as { id: number }[]).map((o) => o.id);
    expect(await mine()).toEqual([own.id]);
    await t.http.post(`/api/admin/electricians/${id}/verify`).set(admin.auth).send({ approved: true }).expect(200);
    expect(await mine()).toEqual([]);
  });
});

describe('authenticated requests with SESSION_CACHE_MS=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_CACHE_MS: '0' } });
  });
  afterAll(() => t.close());

  it('when a session makes requests, then each reads who the caller is, and a change by hand applies at once', async () => {
    const s = await login(t, 'sc-uncached');
    expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(s.auth).expect(200))).toBe(1);
    expect(await sessionReadsDuring(t, () => t.http.get(UNREAD).set(s.auth).expect(200))).toBe(1);
    await t.db('users').where({ id: s.userId }).update({ status: 'banned' });
    expect((await t.http.get(UNREAD).set(s.auth)).status).toBe(403);
  });

  it('when many sessions are checked at once, then one query checks them all, and each gets its own answer', async () => {
    const live = await login(t, 'sc-batch-live');
    const secondOfLive = await login(t, 'sc-batch-live');
    const other = await login(t, 'sc-batch-other');
    const loggedOut = await login(t, 'sc-batch-out');
    const banned = await login(t, 'sc-batch-banned');
    // A user whose one session ended while another of theirs is checked in the same query.
    const ended = await login(t, 'sc-batch-mixed');
    const stillLive = await login(t, 'sc-batch-mixed');
    await t.http.post('/api/auth/logout').set(loggedOut.auth).send({ refreshToken: loggedOut.refreshToken }).expect(200);
    await t.http.post('/api/auth/logout').set(ended.auth).send({ refreshToken: ended.refreshToken }).expect(200);
    await t.db('users').where({ id: banned.userId }).update({ status: 'banned' });
    // One user with many sessions checked together: each found live (no list of them is cut short).
    const many = await Promise.all(Array.from({ length: 40 }, () => login(t, 'sc-batch-many')));
    const checked = [live, secondOfLive, other, loggedOut, banned, ended, stillLive, live, ...many];
    let answers: PromiseSettledResult<Principal>[] = [];
    const reads = await sessionReadsDuring(t, async () => {
      answers = await Promise.allSettled(checked.map((s) => t.c.services.auth.authenticate(s.token)));
    });
    expect(reads).toBe(1);
    const outcome = (a: PromiseSettledResult<Principal>) =>
      a.status === 'fulfilled' ? a.value.id : (a.reason as { status: number }).status;
    expect(answers.map(outcome)).toEqual([
      live.userId,
      live.userId,
      other.userId,
      401,
      403,
      401,
      stillLive.userId,
      live.userId,
      ...many.map((s) => s.userId),
    ]);
    expect(new Set(many.map((s) => s.token)).size).toBe(many.length);
    // Each session is its own: the two of one user are told apart.
    const sessions = answers.map((a) => (a.status === 'fulfilled' ? a.value.sessionId : null));
    expect(sessions[0]).not.toBe(sessions[1]);
    expect(sessions[0]).toBe(sessions[7]);
  });
});
