import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import type { ElectricianVerified } from '../../../shared/domain-events';
import { toDate } from '../../../shared/rows';
import { applyAs, decide, detailPaths, expectNoIdCard } from './support';

describe('staff verification of electricians', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  /** Collects the verification events of one application while `run` executes. */
  async function eventsOf(electricianId: () => number, run: () => Promise<void>): Promise<ElectricianVerified[]> {
    const seen: ElectricianVerified[] = [];
    const off = t.c.bus.subscribe('electrician.verified', (e) => {
      seen.push(e);
    });
    try {
      await run();
      await t.c.bus.drain();
    } finally {
      off();
    }
    return seen.filter((e) => e.electricianId === electricianId());
  }

  it('when an admin approves a pending application, then it is approved by them, the user becomes an electrician and one event is published', async () => {
    const a = await applyAs(t, 'verify-approve');
    const hallQuery = { latitude: 30.259, longitude: 120.13 };
    const before = await t.http.get('/api/orders/hall').query(hallQuery).set(a.s.auth);
    expect(before.status).toBe(403);
    expect(before.body.error.code).toBe('NOT_ELIGIBLE');
    t.clock.advance(1000);

    let res!: Awaited<ReturnType<typeof decide>>;
    const events = await eventsOf(
      () => a.id,
      async () => {
        res = await decide(t, admin, a.id, { approved: true, note: '资料齐全' });
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: a.id,
      verificationStatus: 'approved',
      verificationNote: '资料齐全',
      verifiedAt: t.clock.now().toISOString(),
      user: { id: a.s.userId },
    });
    expectNoIdCard(res, a.body.idCard);
    expect(events).toEqual([
      {
        name: 'electrician.verified',
        electricianId: a.id,
        userId: a.s.userId,
        approved: true,
        note: '资料齐全',
        actor: { id: admin.userId, role: 'admin' },
        at: t.clock.now(),
      },
    ]);
    const row = await t.db('electricians').where({ id: a.id }).first();
    expect(row.verification_status).toBe('approved');
    expect(row.verified_by).toBe(admin.userId);
    expect(toDate(row.verified_at)!.toISOString()).toBe(t.clock.now().toISOString());
    expect((await t.db('users').where({ id: a.s.userId }).first()).user_type).toBe('electrician');

    // Roles are read per request: the applicant's token is an electrician's from now on.
    const me = await t.http.get('/api/users/me').set(a.s.auth);
    expect(me.body.data.userType).toBe('electrician');
    expect(
      (
        await t.http
          .patch('/api/electricians/me')
          .set(a.s.auth)
          .send({ workStatus: 'available', ...hallQuery })
      ).status,
    ).toBe(200);
    const hall = await t.http.get('/api/orders/hall').query(hallQuery).set(a.s.auth);
    expect(hall.status).toBe(200);
  });

  it('when an admin rejects with a note, then it is rejected with the note, the user stays a user and one event is published', async () => {
    const a = await applyAs(t, 'verify-reject');
    let res!: Awaited<ReturnType<typeof decide>>;
    const events = await eventsOf(
      () => a.id,
      async () => {
        res = await decide(t, admin, a.id, { approved: false, note: '  证书照片看不清  ' });
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ verificationStatus: 'rejected', verificationNote: '证书照片看不清', verifiedAt: null });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ approved: false, note: '证书照片看不清', userId: a.s.userId });
    const row = await t.db('electricians').where({ id: a.id }).first();
    expect(row).toMatchObject({ verification_status: 'rejected', verification_note: '证书照片看不清', verified_by: null });
    expect((await t.db('users').where({ id: a.s.userId }).first()).user_type).toBe('user');
  });

  it('when a rejection has no note or a too short one, then 400 on body.note, nothing changes and no event is published', async () => {
    const a = await applyAs(t, 'verify-no-note');
    const before = await t.db('electricians').where({ id: a.id }).first();
    const events = await eventsOf(
      () => a.id,
      async () => {
        for (const body of [{ approved: false }, { approved: false, note: ' 差 ' }, { approved: 'no' }, {}]) {
          const res = await decide(t, admin, a.id, body);
          expect(res.status).toBe(400);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(detailPaths(res).length).toBeGreaterThan(0);
        }
        expect(detailPaths(await decide(t, admin, a.id, { approved: false }))).toEqual(['body.note']);
        expect(detailPaths(await decide(t, admin, a.id, { approved: true, note: 'x'.repeat(501) }))).toEqual(['body.note']);
      },
    );
    expect(events).toEqual([]);
    expect(await t.db('electricians').where({ id: a.id }).first()).toEqual(before);
  });

  it('when an application was already decided, then a second decision is 409 INVALID_TRANSITION, changes nothing and publishes nothing', async () => {
    const approved = await applyAs(t, 'verify-twice-approved');
    const rejected = await applyAs(t, 'verify-twice-rejected');
    expect((await decide(t, admin, approved.id, { approved: true })).status).toBe(200);
    expect((await decide(t, admin, rejected.id, { approved: false, note: '不符合要求' })).status).toBe(200);
    const rows = await t.db('electricians').whereIn('id', [approved.id, rejected.id]).orderBy('id');
    const users = await t.db('users').whereIn('id', [approved.s.userId, rejected.s.userId]).orderBy('id');

    const events = await eventsOf(
      () => approved.id,
      async () => {
        for (const [id, body] of [
          [approved.id, { approved: false, note: '改主意了' }],
          [approved.id, { approved: true }],
          [rejected.id, { approved: true }],
        ] as const) {
          const res = await decide(t, admin, id, body);
          expect(res.status).toBe(409);
          expect(res.body.error.code).toBe('INVALID_TRANSITION');
        }
      },
    );
    expect(events).toEqual([]);
    expect(await t.db('electricians').whereIn('id', [approved.id, rejected.id]).orderBy('id')).toEqual(rows);
    expect(await t.db('users').whereIn('id', [approved.s.userId, rejected.s.userId]).orderBy('id')).toEqual(users);
  });

  it('when two admins decide the same application at once, then exactly one decision wins and one event is published', async () => {
    const a = await applyAs(t, 'verify-race');
    const other = await login(t, 'verify-race-admin');
    await t.db('users').where({ id: other.userId }).update({ user_type: 'admin', staff_role: 'ops_manager' });
    let results: Awaited<ReturnType<typeof decide>>[] = [];
    const events = await eventsOf(
      () => a.id,
      async () => {
        results = await Promise.all([
          decide(t, admin, a.id, { approved: true }),
          decide(t, other, a.id, { approved: false, note: '资料存疑' }),
        ]);
      },
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(events).toHaveLength(1);
    const winner = results.find((r) => r.status === 200)!;
    const row = await t.db('electricians').where({ id: a.id }).first();
    expect(row.verification_status).toBe(winner.body.data.verificationStatus);
    expect(events[0]!.approved).toBe(row.verification_status === 'approved');
    expect((await t.db('users').where({ id: a.s.userId }).first()).user_type).toBe(
      row.verification_status === 'approved' ? 'electrician' : 'user',
    );
  });

  it('when an admin applies and is approved, then they stay an admin', async () => {
    const a = await applyAs(t, 'verify-staff-applicant');
    await t.db('users').where({ id: a.s.userId }).update({ user_type: 'admin', staff_role: 'agent' });
    expect((await decide(t, admin, a.id, { approved: true })).status).toBe(200);
    expect(await t.db('users').where({ id: a.s.userId }).first()).toMatchObject({ user_type: 'admin', staff_role: 'agent' });
    expect((await t.db('electricians').where({ id: a.id }).first()).verification_status).toBe('approved');
  });

  it('when the application does not exist or the id is malformed, then 404 or 400', async () => {
    const missing = await decide(t, admin, 999_999, { approved: true });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const bad = await t.http.post('/api/admin/electricians/0/verify').set(admin.auth).send({ approved: true });
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['params.id']);
  });

  it('when a customer, an applicant or an electrician calls the admin routes, then 403 and nothing changes; without a token, 401', async () => {
    const customer = await login(t, 'verify-guard-customer');
    const applicant = await applyAs(t, 'verify-guard-applicant');
    const electrician = await loginAsElectrician(t, 'verify-guard-electrician');
    const before = await t.db('electricians').where({ id: applicant.id }).first();
    for (const s of [customer, applicant.s, electrician]) {
      const list = await t.http.get('/api/admin/electricians').set(s.auth);
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('FORBIDDEN');
      const verify = await decide(t, s, applicant.id, { approved: true });
      expect(verify.status).toBe(403);
    }
    expect((await t.http.get('/api/admin/electricians')).status).toBe(401);
    expect((await t.http.post(`/api/admin/electricians/${applicant.id}/verify`).send({ approved: true })).status).toBe(401);
    expect(await t.db('electricians').where({ id: applicant.id }).first()).toEqual(before);
    expect((await t.db('users').where({ id: applicant.s.userId }).first()).user_type).toBe('user');
  });
});

describe('the staff verification queue', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  it('when an admin lists applications, then they come newest first with phone, masked ID card, certificate number and signed images', async () => {
    const first = await applyAs(t, 'queue-first');
    const second = await applyAs(t, 'queue-second');
    await t.db('users').where({ id: second.s.userId }).update({ phone: '13700001111', nickname: '队列二号' });
    await decide(t, admin, first.id, { approved: false, note: '请补充材料' });

    const res = await t.http.get('/api/admin/electricians').query({ limit: 100 }).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1, limit: 100, total: await count(t.db, 'electricians') });
    const ids = res.body.data.map((e: { id: number }) => e.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    const item = res.body.data.find((e: { id: number }) => e.id === second.id);
    expect(item).toMatchObject({
      certificateNumber: second.body.certificateNumber,
      idCard: `**************${second.body.idCard.slice(-4)}`,
      verificationStatus: 'pending',
      user: { id: second.s.userId, phone: '13700001111', nickname: '队列二号' },
    });
    expect(item.certificateImages).toHaveLength(1);
    expect(item.certificateImages[0].url).toMatch(/^\/api\/files\/\d+\?exp=/);
    expectNoIdCard(res, first.body.idCard);
    expectNoIdCard(res, second.body.idCard);

    const rejected = await t.http.get('/api/admin/electricians').query({ verificationStatus: 'rejected' }).set(admin.auth);
    expect(rejected.body.data.map((e: { id: number }) => e.id)).toContain(first.id);
    expect(rejected.body.data.map((e: { id: number }) => e.id)).not.toContain(second.id);
    expect(rejected.body.data.every((e: { verificationStatus: string }) => e.verificationStatus === 'rejected')).toBe(true);
  });

  it('when an admin searches by real name, certificate number, phone or nickname, then matching applications are found and paginated', async () => {
    const a = await applyAs(t, 'search-a', { realName: '欧阳Kwsearch' });
    const b = await applyAs(t, 'search-b', { certificateNumber: 'KWSEARCH-0002' });
    const c = await applyAs(t, 'search-c');
    await t.db('users').where({ id: c.s.userId }).update({ phone: '13655559999', nickname: 'kwsearch 小陈' });

    const byName = await t.http.get('/api/admin/electricians').query({ keyword: 'kwsearch' }).set(admin.auth);
    expect(byName.status).toBe(200);
    expect(byName.body.data.map((e: { id: number }) => e.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(byName.body.pagination.total).toBe(3);

    const paged = await t.http.get('/api/admin/electricians').query({ keyword: 'kwsearch', limit: 2, page: 2 }).set(admin.auth);
    expect(paged.body.pagination).toEqual({ page: 2, limit: 2, total: 3 });
    expect(paged.body.data.map((e: { id: number }) => e.id)).toEqual([a.id]);

    const byPhone = await t.http.get('/api/admin/electricians').query({ keyword: '5555999' }).set(admin.auth);
    expect(byPhone.body.data.map((e: { id: number }) => e.id)).toEqual([c.id]);
    const byCertificate = await t.http.get('/api/admin/electricians').query({ keyword: 'KWSEARCH-0' }).set(admin.auth);
    expect(byCertificate.body.data.map((e: { id: number }) => e.id)).toEqual([b.id]);
  });

  it('when the keyword holds % or _, then they match literally', async () => {
    const percent = await applyAs(t, 'search-percent');
    await t.db('users').where({ id: percent.s.userId }).update({ nickname: '好评100%_电工' });
    const plain = await applyAs(t, 'search-plain');
    await t.db('users').where({ id: plain.s.userId }).update({ nickname: '好评1000电工' });

    const literal = await t.http.get('/api/admin/electricians').query({ keyword: '0%_' }).set(admin.auth);
    expect(literal.body.data.map((e: { id: number }) => e.id)).toEqual([percent.id]);
    const onlyPercent = await t.http.get('/api/admin/electricians').query({ keyword: '%' }).set(admin.auth);
    expect(onlyPercent.body.pagination.total).toBe(1);
    const underscore = await t.http.get('/api/admin/electricians').query({ keyword: '好评1_0' }).set(admin.auth);
    expect(underscore.body.pagination.total).toBe(0);
  });

  it('when the query is invalid, then 400 names each parameter', async () => {
    const res = await t.http
      .get('/api/admin/electricians')
      .query({ verificationStatus: 'maybe', limit: 101, page: 0 })
      .set(admin.auth);
    expect(res.status).toBe(400);
    expect(detailPaths(res).sort()).toEqual(['query.limit', 'query.page', 'query.verificationStatus']);
  });
});
