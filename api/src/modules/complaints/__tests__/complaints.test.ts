import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jpeg } from '../../../../test/fixtures/images';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { DAY } from '../../../shared/clock';
import type { ComplaintChanged } from '../../../shared/domain-events';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { complaintState, openComplaint } from './complaint-helpers';

let t: TestApp;
let admin: Session;
let n = 0;
const name = (s: string) => `${s}-${++n}`;

beforeAll(async () => {
  t = await createTestApp();
});

// A fresh staff token per test: some tests move the clock past the token's lifetime.
beforeEach(async () => {
  admin = await loginAsAdmin(t);
});

afterAll(async () => {
  await t?.close();
});

async function uploadComplaintPhoto(s: Session): Promise<number> {
  const res = await t.http
    .post('/api/uploads')
    .set(s.auth)
    .field('purpose', 'complaint')
    .attach('file', jpeg(randomBytes(8).toString('hex')), { filename: 'proof.jpg', contentType: 'image/jpeg' });
  expect(res.status).toBe(201);
  return res.body.data.id as number;
}

const staff = (id: number, action: string, body: object) =>
  t.http.post(`/api/admin/complaints/${id}/${action}`).set(admin.auth).send(body);

describe('opening a complaint', () => {
  it('when a customer complains about their completed order with a photo, then it is open at level normal, recorded and published', async () => {
    const o = await completedOrder(t, name('open'));
    const photo = await uploadComplaintPhoto(o.customer);
    const seen: ComplaintChanged[] = [];
    const off = t.c.bus.subscribe('complaint.opened', (e) => {
      seen.push(e);
    });
    const res = await openComplaint(t, o.customer, o.orderId, { type: 'service', images: [photo] });
    await t.c.bus.drain();
    off();
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      orderId: o.orderId,
      customerId: o.customer.userId,
      electricianId: o.electrician.electricianId,
      type: 'service',
      level: 'normal',
      status: 'open',
      outcome: null,
      refundAmount: null,
    });
    expect(res.body.data.images).toEqual([
      expect.objectContaining({ id: photo, url: expect.stringContaining(`/api/files/${photo}`) }),
    ]);
    const events = await t.db('complaint_events').where({ complaint_id: res.body.data.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'open', to_status: 'open', actor_id: o.customer.userId, actor_role: 'customer' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      complaintId: res.body.data.id,
      eventId: events[0].id,
      orderId: o.orderId,
      customerId: o.customer.userId,
      electricianUserId: o.electrician.userId,
      status: 'open',
      level: 'normal',
    });
    expect((await t.db('uploads').where({ id: photo }).first()).resource_type).toBe('complaint');
  });

  it('when the warranty period has passed, then 409 WARRANTY_EXPIRED and nothing is stored; on its last moment it is accepted', async () => {
    const lateName = name('late');
    const late = await completedOrder(t, lateName);
    t.clock.advance(1);
    const inTimeName = name('intime');
    const inTime = await completedOrder(t, inTimeName);
    t.clock.advance(90 * DAY - 1);
    // Tokens are short-lived: the customers sign in again ninety days on.
    const lateCustomer = await login(t, `${lateName}-c`);
    const inTimeCustomer = await login(t, `${inTimeName}-c`);
    const before = await complaintState(t, late.orderId);
    const refused = await openComplaint(t, lateCustomer, late.orderId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WARRANTY_EXPIRED');
    expect(await complaintState(t, late.orderId)).toEqual(before);
    expect((await openComplaint(t, inTimeCustomer, inTime.orderId)).status).toBe(201);
  });

  it('when the order is someone else’s or not completed, then 404 or 409 and nothing is stored', async () => {
    const o = await completedOrder(t, name('foreign'));
    const stranger = await login(t, name('stranger'));
    const before = await complaintState(t, o.orderId);
    const foreign = await openComplaint(t, stranger, o.orderId);
    expect(foreign.status).toBe(404);
    // The order's own electrician is not its customer either.
    expect((await openComplaint(t, o.electrician, o.orderId)).status).toBe(404);
    expect(await complaintState(t, o.orderId)).toEqual(before);

    const pending = await placeOrder(t, stranger);
    const notDone = await openComplaint(t, stranger, pending.id);
    expect(notDone.status).toBe(409);
    expect(notDone.body.error.code).toBe('INVALID_TRANSITION');
    expect(await count(t.db, 'complaints', { order_id: pending.id })).toBe(0);
    expect((await openComplaint(t, stranger, 999_999)).status).toBe(404);
  });

  it('when a complaint on the order is still open, then a second one is refused until the first is resolved', async () => {
    const o = await completedOrder(t, name('second'));
    const first = await openComplaint(t, o.customer, o.orderId);
    expect(first.status).toBe(201);
    const before = await complaintState(t, o.orderId);
    const second = await openComplaint(t, o.customer, o.orderId, { type: 'price' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('COMPLAINT_OPEN');
    expect((await staff(first.body.data.id, 'reply', { content: '已收到，正在核实' })).status).toBe(200);
    expect((await openComplaint(t, o.customer, o.orderId)).status).toBe(409);
    expect(await complaintState(t, o.orderId)).toEqual({ ...before, complaints: expect.any(Array), events: expect.any(Array) });
    expect(await count(t.db, 'complaints', { order_id: o.orderId })).toBe(1);

    expect((await staff(first.body.data.id, 'resolve', { outcome: 'reject', note: '经核实为使用不当' })).status).toBe(200);
    const again = await openComplaint(t, o.customer, o.orderId);
    expect(again.status).toBe(201);
    expect(await count(t.db, 'complaints', { order_id: o.orderId })).toBe(2);
  });

  it('when two complaints on one order are submitted at the same time, then exactly one is opened', async () => {
    const o = await completedOrder(t, name('race'));
    const results = await Promise.all([
      openComplaint(t, o.customer, o.orderId),
      openComplaint(t, o.customer, o.orderId, { type: 'service' }),
      openComplaint(t, o.customer, o.orderId, { type: 'price' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'COMPLAINT_OPEN')).toBe(true);
    expect(await count(t.db, 'complaints', { order_id: o.orderId })).toBe(1);
    const [{ id }] = await t.db('complaints').where({ order_id: o.orderId });
    expect(await count(t.db, 'complaint_events', { complaint_id: id })).toBe(1);
  });

  it('when the body is invalid, then 400 with field details and nothing is stored', async () => {
    const o = await completedOrder(t, name('badbody'));
    const otherCustomer = await login(t, name('photo-owner'));
    const foreignPhoto = await uploadComplaintPhoto(otherCustomer);
    const before = await complaintState(t, o.orderId);
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ type: 'angry' }, ['body', 'type']],
      [{ content: '差' }, ['body', 'content']],
      [{ content: undefined }, ['body', 'content']],
      [{ images: ['x'] }, ['body', 'images', 0]],
      [{ images: Array.from({ length: 10 }, (_, i) => i + 1) }, ['body', 'images']],
      [{ refund: 100 }, ['body']],
    ];
    for (const [body, path] of cases) {
      const res = await openComplaint(t, o.customer, o.orderId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: unknown[] }) => d.path)).toContainEqual(path);
    }
    const badId = await t.http
      .post('/api/orders/abc/complaints')
      .set(o.customer.auth)
      .send({ type: 'quality', content: '维修后又坏了' });
    expect(badId.status).toBe(400);
    const photo = await openComplaint(t, o.customer, o.orderId, { images: [foreignPhoto] });
    expect(photo.status).toBe(400);
    expect(photo.body.error.code).toBe('INVALID_UPLOAD');
    expect(await complaintState(t, o.orderId)).toEqual(before);
    expect((await t.db('uploads').where({ id: foreignPhoto }).first()).attached_at).toBeNull();
  });
});

describe('handling a complaint', () => {
  it('when staff reply and escalate, then it is processing, goes normal → serious → critical, and no higher (409)', async () => {
    const o = await completedOrder(t, name('escalate'));
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    const seen: ComplaintChanged[] = [];
    const off = t.c.bus.subscribe('*', (e) => {
      if (e.name.startsWith('complaint.')) seen.push(e as ComplaintChanged);
    });

    const replied = await staff(id, 'reply', { content: '您好，已安排回访' });
    expect(replied.status).toBe(200);
    expect(replied.body.data).toMatchObject({ status: 'processing', level: 'normal' });
    expect(replied.body.data.firstResponseAt).toBe(t.clock.now().toISOString());
    const serious = await staff(id, 'escalate', { reason: '客户情绪激动' });
    expect(serious.body.data).toMatchObject({ status: 'processing', level: 'serious' });
    const critical = await staff(id, 'escalate', { reason: '涉及安全隐患' });
    expect(critical.body.data.level).toBe('critical');
    const before = await complaintState(t, o.orderId);
    const top = await staff(id, 'escalate', { reason: '再升级' });
    expect(top.status).toBe(409);
    expect(top.body.error.code).toBe('ALREADY_CRITICAL');
    expect(await complaintState(t, o.orderId)).toEqual(before);
    await t.c.bus.drain();
    off();

    const events = await t.db('complaint_events').where({ complaint_id: id }).orderBy('id');
    expect(events.map((e) => [e.action, e.from_status, e.to_status, e.level])).toEqual([
      ['open', null, 'open', 'normal'],
      ['reply', 'open', 'processing', 'normal'],
      ['escalate', 'processing', 'processing', 'serious'],
      ['escalate', 'processing', 'processing', 'critical'],
    ]);
    expect(events[1]).toMatchObject({ actor_id: admin.userId, actor_role: 'admin', content: '您好，已安排回访' });
    expect(seen.map((e) => [e.name, e.eventId, e.level, e.content])).toEqual([
      ['complaint.replied', events[1].id, 'normal', '您好，已安排回访'],
      ['complaint.escalated', events[2].id, 'serious', '客户情绪激动'],
      ['complaint.escalated', events[3].id, 'critical', '涉及安全隐患'],
    ]);
  });

  it('when a complaint is resolved or rejected, then it cannot be changed any more (409)', async () => {
    const o = await completedOrder(t, name('closed'));
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    const resolved = await staff(id, 'resolve', { outcome: 'compensate', note: '补偿优惠券 50 元' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: 'resolved', outcome: 'compensate', resolutionNote: '补偿优惠券 50 元' });
    expect(resolved.body.data.resolvedAt).toBe(t.clock.now().toISOString());
    const before = await complaintState(t, o.orderId);
    for (const [action, body] of [
      ['reply', { content: '补充' }],
      ['escalate', { reason: '升级' }],
      ['resolve', { outcome: 'reject', note: '改判' }],
    ] as const) {
      const res = await staff(id, action, body);
      expect(res.status, action).toBe(409);
      expect(res.body.error.code).toBe('COMPLAINT_CLOSED');
    }
    const message = await t.http.post(`/api/complaints/${id}/messages`).set(o.customer.auth).send({ content: '还有问题' });
    expect(message.status).toBe(409);
    expect(await complaintState(t, o.orderId)).toEqual(before);

    const other = await completedOrder(t, name('rejected'));
    const c2 = (await openComplaint(t, other.customer, other.orderId)).body.data.id;
    const rejected = await staff(c2, 'resolve', { outcome: 'reject', note: '经核实与维修无关' });
    expect(rejected.body.data).toMatchObject({ status: 'rejected', outcome: 'reject' });
    expect((await t.db('complaints').where({ id: c2 }).first()).open_order_id).toBeNull();
  });

  it('when staff send invalid input, then 400 with details and the complaint is unchanged', async () => {
    const o = await completedOrder(t, name('badstaff'));
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    const before = await complaintState(t, o.orderId);
    const cases: [string, object, unknown[]][] = [
      ['reply', {}, ['body', 'content']],
      ['reply', { content: '   ' }, ['body', 'content']],
      ['escalate', { reason: '' }, ['body', 'reason']],
      ['resolve', { outcome: 'refund', note: '退款' }, ['body', 'refundAmount']],
      ['resolve', { outcome: 'reject', refundAmount: 100, note: '驳回' }, ['body', 'refundAmount']],
      ['resolve', { outcome: 'refund', refundAmount: 10.5, note: '退款' }, ['body', 'refundAmount']],
      ['resolve', { outcome: 'refund', refundAmount: 0, note: '退款' }, ['body', 'refundAmount']],
      ['resolve', { outcome: 'rework' }, ['body', 'note']],
      ['resolve', { outcome: 'free', note: '送' }, ['body', 'outcome']],
    ];
    for (const [action, body, path] of cases) {
      const res = await staff(id, action, body);
      expect(res.status, `${action} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: unknown[] }) => d.path)).toContainEqual(path);
    }
    expect((await staff(999_999, 'reply', { content: '你好' })).status).toBe(404);
    expect((await t.http.post('/api/admin/complaints/x/reply').set(admin.auth).send({ content: '你好' })).status).toBe(400);
    expect(await complaintState(t, o.orderId)).toEqual(before);
  });

  it('when someone who is not staff calls the staff routes, then 403 and nothing changes', async () => {
    const o = await completedOrder(t, name('notstaff'));
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    const before = await complaintState(t, o.orderId);
    for (const s of [o.customer, o.electrician]) {
      expect((await t.http.get('/api/admin/complaints').set(s.auth)).status).toBe(403);
      expect((await t.http.get(`/api/admin/complaints/${id}`).set(s.auth)).status).toBe(403);
      expect((await t.http.post(`/api/admin/complaints/${id}/reply`).set(s.auth).send({ content: '我自己回复' })).status).toBe(
        403,
      );
      expect(
        (await t.http.post(`/api/admin/complaints/${id}/resolve`).set(s.auth).send({ outcome: 'compensate', note: '自己结案' }))
          .status,
      ).toBe(403);
    }
    expect((await t.http.get('/api/complaints')).status).toBe(401);
    expect(await complaintState(t, o.orderId)).toEqual(before);
  });
});

describe('history and lists', () => {
  it('when the customer, the order’s electrician, another user or another electrician ask for a complaint, then only the first two see it with its history', async () => {
    const o = await completedOrder(t, name('history'));
    const photo = await uploadComplaintPhoto(o.customer);
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    await staff(id, 'reply', { content: '请补充照片' });
    const added = await t.http
      .post(`/api/complaints/${id}/messages`)
      .set(o.customer.auth)
      .send({ content: '照片已补充', images: [photo] });
    expect(added.status).toBe(200);
    expect(added.body.data.status).toBe('processing');

    for (const s of [o.customer, o.electrician]) {
      const res = await t.http.get(`/api/complaints/${id}`).set(s.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.events.map((e: { action: string }) => e.action)).toEqual(['open', 'reply', 'message']);
      expect(res.body.data.events[2]).toMatchObject({
        actorRole: 'customer',
        content: '照片已补充',
        images: [expect.objectContaining({ id: photo })],
      });
    }
    const stranger = await login(t, name('nosy'));
    const otherElectrician = await loginAsElectrician(t, name('nosy-e'));
    for (const s of [stranger, otherElectrician]) {
      expect((await t.http.get(`/api/complaints/${id}`).set(s.auth)).status).toBe(404);
      expect((await t.http.post(`/api/complaints/${id}/messages`).set(s.auth).send({ content: '我也说两句' })).status).toBe(404);
      const mine = await t.http.get('/api/complaints').set(s.auth);
      expect(mine.body.data.map((c: { id: number }) => c.id)).not.toContain(id);
    }
    const fromElectrician = await t.http
      .post(`/api/complaints/${id}/messages`)
      .set(o.electrician.auth)
      .send({ content: '我来解释' });
    expect(fromElectrician.status).toBe(403);
    expect(await count(t.db, 'complaint_events', { complaint_id: id })).toBe(3);

    const customerList = await t.http.get('/api/complaints').set(o.customer.auth);
    expect(customerList.body.data.map((c: { id: number }) => c.id)).toEqual([id]);
    expect(customerList.body.pagination).toEqual({ page: 1, limit: 10, total: 1 });
    const electricianList = await t.http.get('/api/complaints').set(o.electrician.auth);
    expect(electricianList.body.data.map((c: { id: number }) => c.id)).toEqual([id]);
    const asCustomer = await t.http.get('/api/complaints?as=customer').set(o.electrician.auth);
    expect(asCustomer.body.data).toEqual([]);
    expect((await t.http.get('/api/complaints?status=closed').set(o.customer.auth)).status).toBe(400);
  });

  it('when staff list complaints, then filters by status, level, type and keyword and pages work', async () => {
    const a = await completedOrder(t, name('list-a'));
    const b = await completedOrder(t, name('list-b'));
    const ca = (await openComplaint(t, a.customer, a.orderId, { type: 'price', content: '收费比报价高出很多' })).body.data;
    const cb = (await openComplaint(t, b.customer, b.orderId, { type: 'quality' })).body.data;
    await staff(cb.id, 'escalate', { reason: '安全隐患' });

    const ids = async (query: string) => {
      const res = await t.http.get(`/api/admin/complaints?${query}`).set(admin.auth);
      expect(res.status, query).toBe(200);
      return res.body.data.map((c: { id: number }) => c.id) as number[];
    };
    expect(await ids(`keyword=${ca.orderNo}`)).toEqual([ca.id]);
    expect(await ids('keyword=收费比报价')).toEqual([ca.id]);
    expect(await ids('type=price&status=open')).toContain(ca.id);
    expect(await ids('type=price')).not.toContain(cb.id);
    expect(await ids('level=serious')).toEqual([cb.id]);
    expect(await ids('status=processing&level=serious')).toEqual([cb.id]);
    const first = await t.http.get('/api/admin/complaints?limit=1&page=1').set(admin.auth);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.pagination.total).toBe(await count(t.db, 'complaints'));
    expect(first.body.data[0].id).toBe(cb.id); // newest first

    const detail = await t.http.get(`/api/admin/complaints/${cb.id}`).set(admin.auth);
    expect(detail.body.data.events.map((e: { action: string }) => e.action)).toEqual(['open', 'escalate']);
    expect((await t.http.get('/api/admin/complaints?level=urgent').set(admin.auth)).status).toBe(400);
    expect((await t.http.get('/api/admin/complaints?limit=101').set(admin.auth)).status).toBe(400);
  });
});
