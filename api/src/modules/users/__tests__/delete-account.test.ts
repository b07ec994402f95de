import { describe, expect, it } from 'vitest';
import { connect, disconnected } from '../../../realtime/__tests__/support';
import { useRealtimeApp } from '../../../realtime/__tests__/support';
import { fromJson } from '../../../shared/rows';
import type { TestApp } from '../../../../test/harness';
import { count, login, loginAsAdmin, loginAsElectrician, snapshot, usingMysql } from '../../../../test/harness';
import { orderBody, placeOrder, uploadImage } from '../../orders/__tests__/order-helpers';
import { paidOrderBetween, ratings, review } from '../../reviews/__tests__/review-helpers';

let t: TestApp;
let url: string;
useRealtimeApp((app) => {
  t = app.t;
  url = app.url;
});

const address = {
  contactName: '张丽',
  contactPhone: '13812345678',
  region: '浙江省杭州市西湖区',
  address: '文三路 90 号 3 幢 502',
  latitude: 30.2612,
  longitude: 120.1335,
};

const deleteAccount = (auth: { Authorization: string }, body: object = {}) =>
  t.http.post('/api/users/me/delete-account').set(auth).send(body);

describe('account deletion (注销账号)', () => {
  it('when a customer deletes their account, then profile, phone, avatar and addresses are erased, orders, payments and reviews stay anonymised, sessions end and the socket is closed', async () => {
    const customer = await login(t, 'del-customer');
    const electrician = await loginAsElectrician(t, 'del-customer-electrician');
    await t.http.post('/api/auth/bind-phone').set(customer.auth).send({ code: 'dev-phone-13900002222' }).expect(200);
    const avatar = await uploadImage(t, customer, 'avatar');
    await t.http
      .patch('/api/users/me')
      .set(customer.auth)
      .send({ avatarUploadId: avatar, nickname: '小张', name: '张丽' })
      .expect(200);
    await t.http.post('/api/addresses').set(customer.auth).send(address).expect(201);
    const paid = await paidOrderBetween(t, customer, electrician);
    const reviewed = await review(t, customer, paid.orderId, { ...ratings(5, 4, 5), content: '师傅很专业' });
    const stray = await uploadImage(t, customer, 'order'); // picked for an order never placed
    await t.c.bus.drain();
    expect(await count(t.db, 'notifications', { user_id: customer.userId })).toBeGreaterThan(0);
    const avatarKey = (await t.db('uploads').where({ id: avatar }).first()).storage_key as string;
    const socket = await connect(url, customer.token);
    const gone = disconnected(socket);

    const res = await deleteAccount(customer.auth, { reason: '不再需要' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: {} });
    expect(await gone).toBe('io server disconnect');
    expect((await t.http.get('/api/users/me').set(customer.auth)).status).toBe(401);
    expect((await t.http.post('/api/auth/refresh').send({ refreshToken: customer.refreshToken })).status).toBe(401);
    await expect(connect(url, customer.token)).rejects.toThrow();

    const user = await t.db('users').where({ id: customer.userId }).first();
    expect(user).toMatchObject({
      status: 'deleted',
      phone: null,
      nickname: null,
      name: null,
      avatar: null,
      avatar_upload_id: null,
      unionid: null,
    });
    expect(user.openid).toMatch(/^deleted:\d+:[0-9a-f]{16}$/);
    expect(await count(t.db, 'addresses', { user_id: customer.userId })).toBe(0);
    expect(await count(t.db, 'notifications', { user_id: customer.userId })).toBe(0);
    expect(await count(t.db, 'refresh_tokens', { user_id: customer.userId, revoked_at: null })).toBe(0);
    expect(await count(t.db, 'sms_codes', { phone: '13900002222' })).toBe(0);
    expect(await t.db('uploads').whereIn('id', [avatar, stray])).toEqual([]);
    expect(await t.c.storage.driver).toBe('local');
    if (t.c.storage.driver === 'local') expect(await t.c.storage.open(avatarKey)).toBeUndefined();
    expect(await t.db('account_deletions').where({ user_id: customer.userId }).first()).toMatchObject({ reason: '不再需要' });

    // Kept for the books, without saying who or where.
    const order = await t.db('orders').where({ id: paid.orderId }).first();
    expect(order).toMatchObject({
      status: 'completed',
      payment_status: 'paid',
      contact_name: '已注销用户',
      contact_phone: '',
      address: '',
    });
    expect(Number(order.latitude)).toBeCloseTo(30.26, 5);
    const payment = await t.db('payments').where({ order_id: paid.orderId }).first();
    expect(payment.status).toBe('paid');
    expect(payment.openid).toBe(user.openid);
    const kept = await t.db('reviews').where({ id: reviewed.id }).first();
    expect(kept.content).toBe('师傅很专业');
    expect(Boolean(kept.is_anonymous)).toBe(true);
    const shown = await t.http.get(`/api/electricians/${electrician.electricianId}/reviews`).set(electrician.auth);
    expect(JSON.stringify(shown.body)).not.toContain('小张');

    // The same WeChat user signing in again gets a new, empty account.
    const again = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-del-customer' });
    expect(again.status).toBe(200);
    expect(again.body.data.isNewUser).toBe(true);
    expect(again.body.data.user.id).not.toBe(customer.userId);
    expect(again.body.data.user).toMatchObject({ nickname: null, phone: null, hasPhone: false, avatarUrl: null });
    const fresh = { Authorization: `Bearer ${again.body.data.token}` };
    expect((await t.http.get('/api/addresses').set(fresh)).body.data).toEqual([]);
    expect((await t.http.get('/api/orders').set(fresh)).body.data).toEqual([]);
  });

  it('when an electrician deletes their account, then the ID card, certificate and its images are erased and the profile can take no order', async () => {
    const e = await loginAsElectrician(t, 'del-electrician');
    const before = await t.db('electricians').where({ id: e.electricianId }).first();
    const certificates = fromJson<number[]>(before.certificate_images, []);
    expect(certificates.length).toBeGreaterThan(0);
    const customer = await login(t, 'del-electrician-customer');

    const res = await deleteAccount(e.auth);

    expect(res.status).toBe(200);
    const row = await t.db('electricians').where({ id: e.electricianId }).first();
    expect(row).toMatchObject({ real_name: '已注销', id_card_enc: '', id_card_last4: '', work_status: 'offline' });
    expect(row.verification_status).not.toBe('approved');
    expect(row.id_card_hash).not.toBe(before.id_card_hash);
    expect(row.certificate_number).not.toBe(before.certificate_number);
    expect(fromJson(row.certificate_images, [1])).toEqual([]);
    expect(await t.db('uploads').whereIn('id', certificates)).toEqual([]);
    const order = await placeOrder(t, customer);
    const hall = await t.http.get(`/api/orders/${order.id}`).set(e.auth);
    expect(hall.status).toBe(401);
  });

  it('when the account has an active order (as customer or electrician) or an open complaint, then 409 ACCOUNT_BUSY and nothing changes', async () => {
    const customer = await login(t, 'del-busy-customer');
    const electrician = await loginAsElectrician(t, 'del-busy-electrician');
    await t.http.post('/api/addresses').set(customer.auth).send(address).expect(201);
    const pending = await placeOrder(t, customer);
    const before = await snapshot(t.db);

    for (const s of [customer]) {
      const res = await deleteAccount(s.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ACCOUNT_BUSY');
    }
    await t.http.post(`/api/orders/${pending.id}/grab`).set(electrician.auth).expect(200);
    // The grab's after-commit work (notifications, the outbox row's removal) is done before the snapshot.
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    const grabbed = await snapshot(t.db);
    const asElectrician = await deleteAccount(electrician.auth);
    expect(asElectrician.status).toBe(409);
    expect(asElectrician.body.error.code).toBe('ACCOUNT_BUSY');
    expect(await snapshot(t.db)).toEqual(grabbed);
    expect(before.users).toEqual(grabbed.users);

    // Completed and paid, with a complaint still open.
    const other = await login(t, 'del-complainer');
    const paid = await paidOrderBetween(t, other, await loginAsElectrician(t, 'del-complained-about'));
    await t.http
      .post(`/api/orders/${paid.orderId}/complaints`)
      .set(other.auth)
      .send({ type: 'quality', content: '修完第二天又跳闸了，请尽快处理' })
      .expect(201);
    await t.c.bus.drain();
    const complained = await snapshot(t.db);
    const res = await deleteAccount(other.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ACCOUNT_BUSY');
    expect(res.body.error.message).toContain('投诉');
    expect(await snapshot(t.db)).toEqual(complained);
    expect((await t.http.get('/api/users/me').set(other.auth)).status).toBe(200);
  });

  it("when staff or a bad body ask, then 403 STAFF_ACCOUNT or 400 and nothing changes but the staff attempt's audit row", async () => {
    const admin = await loginAsAdmin(t);
    const s = await login(t, 'del-bad-body');
    const before = await snapshot(t.db, ['audit_logs']);

    const staff = await deleteAccount(admin.auth);
    const bad = await deleteAccount(s.auth, { reason: 'x'.repeat(201), extra: true });

    expect(staff.status).toBe(403);
    expect(staff.body.error.code).toBe('STAFF_ACCOUNT');
    expect(bad.status).toBe(400);
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(before);
    const audit = await t.db('audit_logs').where({ actor_id: admin.userId, route: '/api/users/me/delete-account' });
    expect(audit.map((r) => [r.action, r.outcome, r.error_code])).toEqual([['self', 'failed', 'STAFF_ACCOUNT']]);
  });

  it('when staff try to reinstate a deleted account, then 409 ACCOUNT_DELETED', async () => {
    const s = await login(t, 'del-reinstate');
    await deleteAccount(s.auth).expect(200);
    const admin = await loginAsAdmin(t);

    const res = await t.http
      .post(`/api/admin/users/${s.userId}/status`)
      .set(admin.auth)
      .send({ status: 'active', reason: '误操作恢复' });

    expect(res.status).toBe(409);
    expect((await t.db('users').where({ id: s.userId }).first()).status).toBe('deleted');
  });

  it('when an order is placed while the account is being deleted, then never both: no active order is left on a deleted account', async () => {
    const rounds = usingMysql ? 12 : 4;
    const outcomes = new Set<string>();
    for (let i = 0; i < rounds; i++) {
      const s = await login(t, `del-race-${i}`);
      const [order, deletion] = await Promise.all([
        t.http.post('/api/orders').set(s.auth).send(orderBody()),
        deleteAccount(s.auth),
      ]);
      outcomes.add(`${order.status}/${deletion.status}`);
      const user = await t.db('users').where({ id: s.userId }).first();
      const open = await count(t.db, 'orders', { user_id: s.userId, status: 'pending' });
      if (user.status === 'deleted') {
        expect(open, `round ${i}: ${order.status}/${deletion.status}`).toBe(0);
        expect(deletion.status).toBe(200);
      } else {
        expect(deletion.status).toBe(409);
        expect(order.status).toBe(201);
      }
    }
    expect(
      [...outcomes].every((o) => ['201/409', '401/200'].includes(o)),
      [...outcomes].join(','),
    ).toBe(true);
  });

  it('when an electrician grabs an order while deleting their account, then never both: a deleted profile holds no order', async () => {
    const rounds = usingMysql ? 10 : 3;
    const outcomes = new Set<string>();
    for (let i = 0; i < rounds; i++) {
      const e = await loginAsElectrician(t, `del-grab-race-${i}`);
      const customer = await login(t, `del-grab-race-customer-${i}`);
      const order = await placeOrder(t, customer);
      const [grab, deletion] = await Promise.all([
        t.http.post(`/api/orders/${order.id}/grab`).set(e.auth),
        deleteAccount(e.auth),
      ]);
      outcomes.add(`${grab.status}/${deletion.status}`);
      const profile = await t.db('electricians').where({ id: e.electricianId }).first();
      const held = await count(t.db, 'orders', { electrician_id: e.electricianId });
      if (deletion.status === 200) {
        expect(held, `round ${i}: ${grab.status}/${deletion.status}`).toBe(0);
        expect(Number(profile.active_orders)).toBe(0);
        expect((await t.db('orders').where({ id: order.id }).first()).status).toBe('pending');
      } else {
        expect(deletion.status).toBe(409);
        expect(grab.status).toBe(200);
        expect(held).toBe(1);
      }
    }
    expect(
      [...outcomes].every((o) => ['200/409', '401/200', '403/200'].includes(o)),
      [...outcomes].join(','),
    ).toBe(true);
  });
});
