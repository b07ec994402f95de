import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../../../test/fixtures/images';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { fetchSigned, upload } from '../../files/__tests__/helpers';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { paidOrderBetween, ratings, review } from '../../reviews/__tests__/review-helpers';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let seed = 0;
/** Uploads a fresh avatar image as `s` and makes it their avatar through PUT /api/users/me; returns its bytes. */
async function setUploadedAvatar(s: Session): Promise<Buffer> {
  seed += 1;
  const bytes = png({ seed: 5000 + seed });
  const uploaded = await upload(t, s, bytes, { purpose: 'avatar', filename: 'avatar.png', contentType: 'image/png' });
  expect(uploaded.status).toBe(201);
  const saved = await t.http.put('/api/users/me').set(s.auth).send({ avatarUploadId: uploaded.body.data.id });
  expect(saved.status).toBe(200);
  return bytes;
}

async function setPlainAvatar(s: Session, url: string) {
  const saved = await t.http.put('/api/users/me').set(s.auth).send({ avatarUrl: url });
  expect(saved.status).toBe(200);
}

/** Asserts that `url` is a signed file URL that serves exactly `bytes`. */
async function expectServes(url: unknown, bytes: Buffer) {
  expect(url).toEqual(expect.stringMatching(/^\/api\/files\/\d+\?exp=\d+&sig=/));
  const served = await fetchSigned(t, url as string);
  expect(served.status).toBe(200);
  expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);
}

/** An order of `customer` grabbed by `electrician`. */
async function grabbedOrder(customer: Session, electrician: Session) {
  const order = await placeOrder(t, customer);
  const grabbed = await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth).send({});
  expect(grabbed.status).toBe(200);
  return order.id;
}

/** The SQL of every query on `uploads` run while `fn` runs, with its bindings. */
async function uploadQueriesDuring(fn: () => Promise<unknown>) {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/from [`"]uploads[`"]/i.test(q.sql)) seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  t.db.on('query', listener);
  try {
    await fn();
  } finally {
    t.db.removeListener('query', listener);
  }
  return seen;
}

describe('an uploaded avatar wherever the user is shown', () => {
  it("when the electrician's avatar is an upload, then the order's electrician card shows a signed URL serving it, and a page of orders signs all the avatars in one query", async () => {
    const customer = await login(t, 'ae-order-c');
    const first = await loginAsElectrician(t, 'ae-order-e1');
    const second = await loginAsElectrician(t, 'ae-order-e2');
    const firstAvatar = await setUploadedAvatar(first);
    const secondAvatar = await setUploadedAvatar(second);
    const firstOrder = await grabbedOrder(customer, first);
    const secondOrder = await grabbedOrder(customer, second);

    const detail = await t.http.get(`/api/orders/${firstOrder}`).set(customer.auth);
    expect(detail.status).toBe(200);
    expect(detail.body.data.electrician).toMatchObject({ id: first.electricianId });
    await expectServes(detail.body.data.electrician.avatarUrl, firstAvatar);

    let list!: Awaited<ReturnType<typeof t.http.get>>;
    const queries = await uploadQueriesDuring(async () => {
      list = await t.http.get('/api/orders').set(customer.auth);
    });
    expect(list.status).toBe(200);
    const byId = new Map((list.body.data as { id: number; electrician: { avatarUrl: string } }[]).map((o) => [o.id, o]));
    await expectServes(byId.get(firstOrder)!.electrician.avatarUrl, firstAvatar);
    await expectServes(byId.get(secondOrder)!.electrician.avatarUrl, secondAvatar);
    // The orders carry no images: the one query on uploads is the avatars', for both electricians.
    expect(queries).toHaveLength(1);
  });

  it("when the electrician's avatar is an upload, then their public profile and the staff list of electricians show a signed URL serving it", async () => {
    const e = await loginAsElectrician(t, 'ae-profile-e');
    const avatar = await setUploadedAvatar(e);
    const viewer = await login(t, 'ae-profile-v');
    const admin = await loginAsAdmin(t);

    const profile = await t.http.get(`/api/electricians/${e.electricianId}`).set(viewer.auth);
    expect(profile.status).toBe(200);
    await expectServes(profile.body.data.avatarUrl, avatar);

    const staffList = await t.http.get('/api/admin/electricians').query({ limit: 50 }).set(admin.auth);
    expect(staffList.status).toBe(200);
    const mine = (staffList.body.data as { id: number; user: { avatarUrl: string } }[]).find((x) => x.id === e.electricianId);
    expect(mine, JSON.stringify(staffList.body)).toBeDefined();
    await expectServes(mine!.user.avatarUrl, avatar);
  });

  it("when reviewers' avatars are uploads, then the electrician's review listing shows the signed URL of a named review and none for an anonymous one", async () => {
    const e = await loginAsElectrician(t, 'ae-review-e');
    const named = await login(t, 'ae-review-named');
    const anonymous = await login(t, 'ae-review-anon');
    const namedAvatar = await setUploadedAvatar(named);
    const anonymousAvatar = await setUploadedAvatar(anonymous);
    const a = await paidOrderBetween(t, named, e);
    const b = await paidOrderBetween(t, anonymous, e);
    await review(t, named, a.orderId, ratings(5, 5, 5));
    await review(t, anonymous, b.orderId, { ...ratings(4, 4, 4), isAnonymous: true });
    const viewer = await login(t, 'ae-review-v');

    const res = await t.http.get(`/api/electricians/${e.electricianId}/reviews`).set(viewer.auth);

    expect(res.status).toBe(200);
    const byOrder = new Map(
      (res.body.data as { orderId: number; reviewer: { avatarUrl: string | null } }[]).map((r) => [r.orderId, r]),
    );
    await expectServes(byOrder.get(a.orderId)!.reviewer.avatarUrl, namedAvatar);
    expect(byOrder.get(b.orderId)!.reviewer).toEqual({ userId: null, nickname: '匿名用户', avatarUrl: null });

    // The anonymous reviewer still sees their own avatar on their review.
    const own = await t.http.get(`/api/orders/${b.orderId}/review`).set(anonymous.auth);
    expect(own.status).toBe(200);
    await expectServes(own.body.data.reviewer.avatarUrl, anonymousAvatar);
  });

  it('when a user with an uploaded avatar logs in again, through WeChat or the staff sign-in, then the user in the response shows a signed URL serving it', async () => {
    const customer = await login(t, 'ae-login');
    const avatar = await setUploadedAvatar(customer);

    const again = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-ae-login' });
    expect(again.status).toBe(200);
    await expectServes(again.body.data.user.avatarUrl, avatar);

    const staff = await loginAsStaff(t, 'agent');
    const staffAvatar = await setUploadedAvatar(staff);
    const signedIn = await t.http.post('/api/admin/auth/login').send({ username: staff.username, password: staff.password });
    expect(signedIn.status).toBe(200);
    await expectServes(signedIn.body.data.user.avatarUrl, staffAvatar);
  });

  it('when avatars are plain URLs, then the card, the public profile, the review listing and the login response show them as before', async () => {
    const customer = await login(t, 'ae-plain-c');
    const e = await loginAsElectrician(t, 'ae-plain-e');
    await setPlainAvatar(customer, 'https://example.com/customer.png');
    await setPlainAvatar(e, 'https://example.com/electrician.png');
    const o = await paidOrderBetween(t, customer, e);
    await review(t, customer, o.orderId, ratings(5, 5, 5));
    const viewer = await login(t, 'ae-plain-v');

    const detail = await t.http.get(`/api/orders/${o.orderId}`).set(customer.auth);
    expect(detail.body.data.electrician.avatarUrl).toBe('https://example.com/electrician.png');
    const profile = await t.http.get(`/api/electricians/${e.electricianId}`).set(viewer.auth);
    expect(profile.body.data.avatarUrl).toBe('https://example.com/electrician.png');
    const reviews = await t.http.get(`/api/electricians/${e.electricianId}/reviews`).set(viewer.auth);
    expect(reviews.body.data[0].reviewer.avatarUrl).toBe('https://example.com/customer.png');
    const again = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-ae-plain-c' });
    expect(again.body.data.user.avatarUrl).toBe('https://example.com/customer.png');
  });
});

describe('WeChat login with userInfo', () => {
  const userInfo = { nickName: '微信昵称', avatarUrl: 'https://wx.qlogo.cn/wechat.png', gender: 0 as const };
  const userRow = (s: Session) => t.db('users').where({ id: s.userId }).first();

  it('when the user set their nickname and an uploaded avatar, then a login with userInfo keeps them', async () => {
    const s = await login(t, 'ae-keep-upload');
    const avatar = await setUploadedAvatar(s);
    expect((await t.http.put('/api/users/me').set(s.auth).send({ nickname: '我自己的昵称', gender: 'female' })).status).toBe(200);
    const before = await userRow(s);

    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-ae-keep-upload', userInfo });

    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ nickname: '我自己的昵称', gender: 'female' });
    await expectServes(res.body.data.user.avatarUrl, avatar);
    expect(await userRow(s)).toMatchObject({
      nickname: '我自己的昵称',
      gender: 'female',
      avatar: null,
      avatar_upload_id: before.avatar_upload_id,
    });
  });

  it('when the user set a plain avatar URL, then a login with userInfo keeps it', async () => {
    const s = await login(t, 'ae-keep-url');
    await setPlainAvatar(s, 'https://example.com/mine.png');

    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-ae-keep-url', userInfo });

    expect(res.status).toBe(200);
    expect(res.body.data.user.avatarUrl).toBe('https://example.com/mine.png');
    // The nickname was blank, so WeChat's fills it.
    expect(res.body.data.user.nickname).toBe('微信昵称');
  });

  it('when the profile is blank, then a login with userInfo fills the nickname, avatar and gender, and a later one changes none of them', async () => {
    const s = await login(t, 'ae-fill');

    const first = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-ae-fill', userInfo: { ...userInfo, gender: 2 } });
    expect(first.body.data.user).toMatchObject({ nickname: '微信昵称', avatarUrl: userInfo.avatarUrl, gender: 'female' });

    const later = await t.http
      .post('/api/auth/wechat-login')
      .send({ code: 'dev-ae-fill', userInfo: { nickName: '换了', avatarUrl: 'https://wx.qlogo.cn/other.png', gender: 1 } });
    expect(later.body.data.user).toMatchObject({ nickname: '微信昵称', avatarUrl: userInfo.avatarUrl, gender: 'female' });
    expect(await userRow(s)).toMatchObject({ nickname: '微信昵称', avatar: userInfo.avatarUrl, avatar_upload_id: null });
  });
});
