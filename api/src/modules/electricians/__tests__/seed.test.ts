import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../../../../seeds';
import { DEMO_ELECTRICIANS } from '../../../../../seeds/02_demo_electricians';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';
import { ManualClock } from '../../../shared/clock';
import { createIdCardCipher } from '../id-card';

/** Great-circle distance in km, to check the demo spread around West Lake. */
function km(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe('demo electricians seed', () => {
  let t: TestApp;
  const key = randomBytes(32);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when the demo seeds run twice with a configured key, then three approved, available profiles exist once, decryptable with that key', async () => {
    const clock = new ManualClock('2026-11-22T02:00:00.000Z');
    const names = await runSeeds(t.db, clock, { idCardKey: key });
    expect(names.indexOf('02_demo_electricians')).toBeGreaterThan(names.indexOf('01_demo_users'));
    await runSeeds(t.db, clock, { idCardKey: key });
    expect(await count(t.db, 'electricians')).toBe(3);

    const cipher = createIdCardCipher(key);
    const rows = await t
      .db('electricians')
      .join('users', 'users.id', 'electricians.user_id')
      .select('electricians.*', 'users.openid', 'users.user_type');
    expect(rows.map((r) => r.openid).sort()).toEqual(['dev-sun', 'dev-wang', 'dev-zhao']);
    for (const r of rows) {
      const demo = DEMO_ELECTRICIANS.find((d) => d.openid === r.openid)!;
      expect(r).toMatchObject({ verification_status: 'approved', work_status: 'available', user_type: 'electrician' });
      expect(r.id_card_enc).not.toContain(demo.idCard);
      expect(cipher.decrypt(r.id_card_enc)).toBe(demo.idCard);
      expect(r.id_card_hash).toBe(cipher.hash(demo.idCard));
      const distance = km({ lat: 30.259, lng: 120.13 }, { lat: Number(r.current_latitude), lng: Number(r.current_longitude) });
      expect(distance).toBeGreaterThan(1);
      expect(distance).toBeLessThan(6);
    }
    expect(rows.filter((r) => r.emergency_available === 1 || r.emergency_available === true)).toHaveLength(1);
  });

  it('when a demo electrician logs in, then their public profile is visible and their own profile shows the masked ID card', async () => {
    await runSeeds(t.db, new ManualClock(), { idCardKey: key });
    const wang = await login(t, 'wang');
    const me = await t.http.get('/api/electricians/me').set(wang.auth);
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ realName: '王建国', idCard: '**************4517', verificationStatus: 'approved' });
    const viewer = await login(t, 'seed-viewer');
    const pub = await t.http.get(`/api/electricians/${me.body.data.id}`).set(viewer.auth);
    expect(pub.status).toBe(200);
    expect(pub.body.data).toMatchObject({ name: '王**', workStatus: 'available' });
  });
});
