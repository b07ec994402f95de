import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { toDate } from '../../../shared/rows';
import type { ElectriciansPorts } from '../index';
import { applyAs, decide, detailPaths, expectNoIdCard } from './support';

describe('my electrician profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when a user has not applied, then reading or updating the profile is 404 NOT_FOUND', async () => {
    const s = await login(t, 'me-none');
    const get = await t.http.get('/api/electricians/me').set(s.auth);
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('NOT_FOUND');
    const patch = await t.http.patch('/api/electricians/me').set(s.auth).send({ introduction: '你好' });
    expect(patch.status).toBe(404);
    expect(await t.db('electricians').where({ user_id: s.userId }).first()).toBeUndefined();
    expect((await t.http.get('/api/electricians/me')).status).toBe(401);
  });

  it('when an applicant reads their profile, then every field is there in camelCase, the ID card masked and certificates signed', async () => {
    const a = await applyAs(t, 'me-reader');
    const res = await t.http.get('/api/electricians/me').set(a.s.auth);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(
      [
        'activeOrders',
        'certificateImages',
        'certificateNumber',
        'certificateType',
        'completedOrders',
        'createdAt',
        'emergencyAvailable',
        'experienceYears',
        'id',
        'idCard',
        'introduction',
        'latitude',
        'locationUpdatedAt',
        'longitude',
        'minOrderAmount',
        'rating',
        'ratingCount',
        'realName',
        'releasedOrders',
        'serviceAreas',
        'specialties',
        'totalEarnings',
        'totalOrders',
        'updatedAt',
        'userId',
        'verificationNote',
        'verificationStatus',
        'verifiedAt',
        'workImages',
        'workStatus',
      ].sort(),
    );
    expect(res.body.data).toMatchObject({
      id: a.id,
      idCard: `**************${a.body.idCard.slice(-4)}`,
      verificationStatus: 'pending',
      workStatus: 'offline',
      rating: 5,
      ratingCount: 0,
      activeOrders: 0,
      completedOrders: 0,
      totalOrders: 0,
      latitude: null,
      longitude: null,
      emergencyAvailable: false,
      minOrderAmount: 0,
    });
    expectNoIdCard(res, a.body.idCard);

    // The signed certificate URL serves the bytes without an Authorization header.
    const image = await t.http.get(res.body.data.certificateImages[0].url);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
  });

  it('when a pending applicant tries to go available or busy, then 403 NOT_ELIGIBLE and nothing changes; other fields may change', async () => {
    const a = await applyAs(t, 'me-pending');
    const before = await t.db('electricians').where({ id: a.id }).first();
    for (const workStatus of ['available', 'busy']) {
      const res = await t.http.patch('/api/electricians/me').set(a.s.auth).send({ workStatus, introduction: '改一下' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('NOT_ELIGIBLE');
    }
    expect(await t.db('electricians').where({ id: a.id }).first()).toEqual(before);

    const ok = await t.http
      .patch('/api/electricians/me')
      .set(a.s.auth)
      .send({ workStatus: 'offline', introduction: '  新的介绍  ', specialties: ['灯具安装'] });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ workStatus: 'offline', introduction: '新的介绍', specialties: ['灯具安装'] });
    expectNoIdCard(ok, a.body.idCard);
  });

  it('when a rejected applicant tries to go available, then 403 NOT_ELIGIBLE', async () => {
    const a = await applyAs(t, 'me-rejected');
    const admin = await loginAsAdmin(t);
    await decide(t, admin, a.id, { approved: false, note: '资料不全' });
    const res = await t.http.patch('/api/electricians/me').set(a.s.auth).send({ workStatus: 'available' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
    expect((await t.db('electricians').where({ id: a.id }).first()).work_status).toBe('offline');
  });

  it('when an approved electrician updates status, preferences and location, then they are stored and the location time comes from the clock', async () => {
    const e = await loginAsElectrician(t, 'me-approved', { workStatus: 'offline', latitude: 30.3, longitude: 120.2 });
    t.clock.advance(5 * 60_000);
    const res = await t.http
      .patch('/api/electricians/me')
      .set(e.auth)
      .send({
        workStatus: 'busy',
        emergencyAvailable: true,
        minOrderAmount: 8800,
        serviceAreas: ['上城区'],
        latitude: 30.2591234,
        longitude: 120.1305678,
      });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      workStatus: 'busy',
      emergencyAvailable: true,
      minOrderAmount: 8800,
      serviceAreas: ['上城区'],
      latitude: 30.2591234,
      longitude: 120.1305678,
      locationUpdatedAt: t.clock.now().toISOString(),
    });
    const row = await t.db('electricians').where({ id: e.electricianId }).first();
    expect(row.work_status).toBe('busy');
    expect(Number(row.current_latitude)).toBeCloseTo(30.2591234, 7);
    expect(Number(row.current_longitude)).toBeCloseTo(120.1305678, 7);
    expect(toDate(row.location_updated_at)!.toISOString()).toBe(t.clock.now().toISOString());
    expect(row.min_order_amount).toBe(8800);

    // A write without a location leaves the location time alone.
    const stamped = row.location_updated_at;
    t.clock.advance(60_000);
    expect((await t.http.patch('/api/electricians/me').set(e.auth).send({ workStatus: 'available' })).status).toBe(200);
    expect((await t.db('electricians').where({ id: e.electricianId }).first()).location_updated_at).toEqual(stamped);
  });

  it('when the update is invalid, then 400 names the fields and nothing changes', async () => {
    const e = await loginAsElectrician(t, 'me-invalid');
    const before = await t.db('electricians').where({ id: e.electricianId }).first();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ latitude: 30.25 }, ['body.longitude']],
      [{ longitude: 120.1 }, ['body.latitude']],
      [{ latitude: 91, longitude: 181 }, ['body.latitude', 'body.longitude']],
      [{ workStatus: 'sleeping', minOrderAmount: 12.5 }, ['body.minOrderAmount', 'body.workStatus']],
      [{ minOrderAmount: 1_000_001, specialties: [] }, ['body.minOrderAmount', 'body.specialties']],
      [{}, ['body']],
    ];
    for (const [body, paths] of cases) {
      const res = await t.http.patch('/api/electricians/me').set(e.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(detailPaths(res).sort()).toEqual(paths);
    }
    const sneaky = await t.http
      .patch('/api/electricians/me')
      .set(e.auth)
      .send({ verificationStatus: 'approved', ratingCount: 99 });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.details).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', path: ['body'] }));
    expect(await t.db('electricians').where({ id: e.electricianId }).first()).toEqual(before);
  });
});

describe('public electrician profiles', () => {
  let t: TestApp;
  let viewer: Session;
  beforeAll(async () => {
    t = await createTestApp();
    viewer = await login(t, 'public-viewer');
  });
  afterAll(() => t.close());

  it('when anyone signed in views an approved electrician, then only the public fields are shown with a masked name', async () => {
    const e = await loginAsElectrician(t, 'public-approved');
    await t.db('users').where({ id: e.userId }).update({ avatar: 'https://cdn.example.com/wang.png', phone: '13912345678' });
    await t.db('electricians').where({ id: e.electricianId }).update({ real_name: '欧阳建国', completed_orders: 12 });
    const row = await t.db('electricians').where({ id: e.electricianId }).first();

    const res = await t.http.get(`/api/electricians/${e.electricianId}`).set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: e.electricianId,
      name: '欧***',
      avatarUrl: 'https://cdn.example.com/wang.png',
      rating: 5,
      ratingCount: 0,
      completedOrders: 12,
      experienceYears: 5,
      certificateType: 'low_voltage',
      specialties: ['线路维修'],
      serviceAreas: ['西湖区'],
      introduction: null,
      workStatus: 'available',
    });
    const text = JSON.stringify(res.body);
    for (const secret of [row.certificate_number, '13912345678', '欧阳建国', String(row.current_latitude)]) {
      expect(text).not.toContain(secret);
    }
    expectNoIdCard(res, t.c.idCards.decrypt(row.id_card_enc));
  });

  it('when the electrician is pending, rejected or unknown, then 404; a malformed id is 400; without a token, 401', async () => {
    const admin = await loginAsAdmin(t);
    const pending = await applyAs(t, 'public-pending');
    const rejected = await applyAs(t, 'public-rejected');
    await decide(t, admin, rejected.id, { approved: false, note: '证书过期' });
    for (const id of [pending.id, rejected.id, 999_999]) {
      const res = await t.http.get(`/api/electricians/${id}`).set(viewer.auth);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const own = await t.http.get(`/api/electricians/${pending.id}`).set(pending.s.auth);
    expect(own.status).toBe(404);
    const bad = await t.http.get('/api/electricians/abc').set(viewer.auth);
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['params.id']);
    expect((await t.http.get(`/api/electricians/${pending.id}`)).status).toBe(401);
  });
});

describe('the profiles the hall holds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('when the profiles of many users are first read at once, then one query reads them all, and each user gets their own', async () => {
    const first = await loginAsElectrician(t, 'held-first');
    const second = await loginAsElectrician(t, 'held-second');
    const customer = await login(t, 'held-customer');
    let reads = 0;
    const listener = (q: { sql: string }) => {
      if (/from [`"]electricians[`"]/i.test(q.sql)) reads++;
    };
    t.db.on('query', listener);
    let found: (number | undefined)[] = [];
    try {
      // The realtime layer is handed the module's ports whole; its type shows only what it uses.
      const ports = t.c.realtime.electricians as unknown as ElectriciansPorts;
      const asked = [first, second, customer, first].map((s) => ports.heldByUserId(s.userId));
      found = (await Promise.all(asked)).map((e) => e?.id);
    } finally {
      t.db.removeListener('query', listener);
    }
    expect(reads).toBe(1);
    expect(found).toEqual([first.electricianId, second.electricianId, undefined, first.electricianId]);
  });
});
