import { describe, expect, it } from 'vitest';
import { applyAs, login, loginAsAdmin, loginAsElectrician, type TestApp } from '../../../test/harness';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { completedOrder } from '../../modules/payments/__tests__/payment-helpers';
import { loginAsStaff } from '../../modules/staff/__tests__/staff-helpers';
import { connect, record, waitFor, type ClientSocket, useRealtimeApp } from './support';

/** Pushes of the order lifecycle: each reaches exactly its intended users. */
describe('order pushes', () => {
  let t: TestApp;
  let url: string;
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  useRealtimeApp((app) => ({ t, url } = app));

  /** Everything published so far has been emitted, and everything emitted has arrived. */
  async function settled(...recorders: { settle(): Promise<void> }[]) {
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    for (const r of recorders) await r.settle();
  }

  it('when an order is placed, then nearby available electricians get new-order with the hall projection, and nobody else', async () => {
    const customer = await login(t, name('cust'));
    const near = await loginAsElectrician(t, name('near'));
    const far = await loginAsElectrician(t, name('far'), { latitude: 31.23, longitude: 121.47 }); // Shanghai
    const offline = await loginAsElectrician(t, name('offline'), { workStatus: 'offline' });
    const other = await login(t, name('other-cust'));
    const sockets = await Promise.all([near, far, offline, other, customer].map((s) => connect(url, s.token)));
    const [sNear, sFar, sOffline, sOther, sCustomer] = sockets as [
      ClientSocket,
      ClientSocket,
      ClientSocket,
      ClientSocket,
      ClientSocket,
    ];
    const pushes = record(sockets, 'new-order');

    const pushed = waitFor(sNear, 'new-order');
    const order = await placeOrder(t, customer);
    const got = await pushed;
    expect(got.orderId).toBe(order.id);
    expect(got.orderInfo).toMatchObject({ id: order.id, status: 'pending', contactName: '张*', contactPhone: '138****5678' });
    expect(got.orderInfo.distanceKm).toBeGreaterThan(0);
    expect(got.orderInfo.distanceKm).toBeLessThan(1);
    expect(got.orderInfo).not.toHaveProperty('address');

    await settled(pushes);
    for (const s of [sFar, sOffline, sOther, sCustomer]) expect(pushes.of(s)).toEqual([]);
    expect(pushes.of(sNear)).toHaveLength(1);
  });

  it('when the electrician is also the customer, then they are not pushed their own order', async () => {
    const e = await loginAsElectrician(t, name('self'));
    const socket = await connect(url, e.token);
    const pushes = record([socket], 'new-order');
    await placeOrder(t, e);
    await settled(pushes);
    expect(pushes.of(socket)).toEqual([]);
  });

  it('when an order is grabbed, then the pushed losers get order-taken and the customer, winner and admins get the full status update', async () => {
    const customer = await login(t, name('cust'));
    const winner = await loginAsElectrician(t, name('winner'));
    const loser = await loginAsElectrician(t, name('loser'));
    const admin = await loginAsAdmin(t);
    const otherCustomer = await login(t, name('other-cust'));
    // Applied, not yet approved: an electrician in waiting sees nothing of the hall.
    const unapproved = (await applyAs(t, name('unapproved'))).s;
    const [sCustomer, sWinner, sLoser, sAdmin, sOther, sUnapproved] = (await Promise.all(
      [customer, winner, loser, admin, otherCustomer, unapproved].map((s) => connect(url, s.token)),
    )) as [ClientSocket, ClientSocket, ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    const all = [sCustomer, sWinner, sLoser, sAdmin, sOther, sUnapproved];

    const offered = Promise.all([waitFor(sWinner, 'new-order'), waitFor(sLoser, 'new-order')]);
    const order = await placeOrder(t, customer);
    await offered;
    await settled();

    const updates = record(all, 'order-status-update');
    const taken = record(all, 'order-taken');
    const loserTold = waitFor(sLoser, 'order-taken', (p) => p.orderId === order.id);
    const customerTold = waitFor(sCustomer, 'order-status-update', (p) => p.status === 'accepted');
    const res = await t.http.post(`/api/orders/${order.id}/grab`).set(winner.auth);
    expect(res.status).toBe(200);
    expect(await loserTold).toEqual({ orderId: order.id });
    const update = await customerTold;
    expect(update).toMatchObject({ orderId: order.id, status: 'accepted', message: expect.stringContaining('已接单') });
    expect(update.order).toMatchObject({ address: '西湖区文三路 90 号 3 幢 502', contactPhone: '13812345678' });

    await settled(updates, taken);
    expect(updates.of(sWinner).map((u) => u.status)).toEqual(['accepted']);
    expect(updates.of(sWinner)[0]!.order).toHaveProperty('address');
    expect(updates.of(sAdmin).map((u) => u.orderId)).toContain(order.id);
    for (const s of [sLoser, sOther, sUnapproved]) expect(updates.of(s)).toEqual([]);
    expect(taken.of(sLoser)).toHaveLength(1);
    for (const s of [sCustomer, sWinner, sAdmin, sOther, sUnapproved]) expect(taken.of(s)).toEqual([]);
  });

  it('when the assigned electrician releases an order, then they get a masked update and the order is pushed to the hall again', async () => {
    const customer = await login(t, name('cust'));
    const holder = await loginAsElectrician(t, name('holder'));
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(holder.auth)).status).toBe(200);
    await settled();
    const sHolder = await connect(url, holder.token);
    const sCustomer = await connect(url, customer.token);
    const holderTold = waitFor(sHolder, 'order-status-update', (p) => p.orderId === order.id);
    const customerTold = waitFor(sCustomer, 'order-status-update', (p) => p.orderId === order.id);
    const res = await t.http.post(`/api/orders/${order.id}/release`).set(holder.auth).send({ reason: '临时有事去不了' });
    expect(res.status).toBe(200);
    const mine = await holderTold;
    expect(mine.status).toBe('pending');
    expect(mine.order).not.toHaveProperty('address');
    expect(mine.order.contactPhone).toBe('138****5678');
    expect((await customerTold).order).toHaveProperty('address');
  });

  it('when an urgent order is dispatched, then only the offered electrician gets dispatch-offer', async () => {
    const customer = await login(t, name('cust'));
    const ready = await loginAsElectrician(t, name('emergency'), { emergencyAvailable: true });
    const plain = await loginAsElectrician(t, name('plain'), { emergencyAvailable: false });
    const sockets = (await Promise.all([ready, plain, customer].map((s) => connect(url, s.token)))) as [
      ClientSocket,
      ClientSocket,
      ClientSocket,
    ];
    const offers = record(sockets, 'dispatch-offer');
    const offered = waitFor(sockets[0], 'dispatch-offer');
    const order = await placeOrder(t, customer, { urgentType: 'urgent' });
    const offer = await offered;
    expect(offer).toMatchObject({ orderId: order.id, orderInfo: { id: order.id, contactName: '张*' } });
    expect(new Date(offer.expiresAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
    await settled(offers);
    expect(offers.of(sockets[1])).toEqual([]);
    expect(offers.of(sockets[2])).toEqual([]);
    await t.http.post(`/api/orders/${order.id}/cancel`).set(customer.auth).send({ reason: '不需要了' });
  });

  it('when a payment succeeds, then its customer gets payment-success and the electrician does not', async () => {
    const o = await completedOrder(t, name('paid'));
    const sCustomer = await connect(url, o.customer.token);
    const sElectrician = await connect(url, o.electrician.token);
    const successes = record([sCustomer, sElectrician], 'payment-success');
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    expect(created.status).toBe(200);
    const { paymentNo } = created.body.data as { paymentNo: string };
    const told = waitFor(sCustomer, 'payment-success');
    expect((await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(o.customer.auth)).status).toBe(200);
    expect(await told).toEqual({ orderId: o.orderId, paymentNo });
    await settled(successes);
    expect(successes.of(sElectrician)).toEqual([]);
  });

  it('when a connected staff member stops being active staff, then order updates to the orders.read room skip them from the next push on', async () => {
    const customer = await login(t, name('cust'));
    const agent = await loginAsStaff(t, 'agent');
    const finance = await loginAsStaff(t, 'finance');
    const [sAgent, sFinance] = (await Promise.all([agent, finance].map((s) => connect(url, s.token)))) as [
      ClientSocket,
      ClientSocket,
    ];
    const updates = record([sAgent, sFinance], 'order-status-update');
    const first = await placeOrder(t, customer);
    await settled(updates);
    expect(updates.of(sAgent).map((u) => u.orderId)).toEqual([first.id]);
    expect(updates.of(sFinance).map((u) => u.orderId)).toEqual([first.id]);

    // Disabled behind the API's back (no session ended, the socket stays open) and another made a customer.
    await t.db('users').where({ id: agent.userId }).update({ status: 'banned' });
    await t.db('users').where({ id: finance.userId }).update({ user_type: 'user', staff_role: null });
    const second = await placeOrder(t, customer);
    const customerTold = waitFor(await connect(url, customer.token), 'order-status-update', (u) => u.orderId === second.id, 3000);
    expect((await t.http.post(`/api/orders/${second.id}/cancel`).set(customer.auth).send({ reason: '不需要了' })).status).toBe(
      200,
    );
    await customerTold;
    await settled(updates);
    expect(updates.of(sAgent).map((u) => u.orderId)).toEqual([first.id]);
    expect(updates.of(sFinance).map((u) => u.orderId)).toEqual([first.id]);
  });
});
