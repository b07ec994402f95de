import { describe, expect, it } from 'vitest';
import { login, loginAsElectrician, type TestApp } from '../../../test/harness';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { ELECTRICIAN_TRAVEL_KMH, ON_THE_WAY_INTERVAL_MS } from '..';
import { connect, record, useRealtimeApp } from './support';

/** About 2.2 km south of the order at (30.2612, 120.1335). */
const ON_THE_ROAD = { latitude: 30.2412, longitude: 120.1335 };

describe('electrician-location (on the way)', () => {
  let t: TestApp;
  let url: string;

  useRealtimeApp((app) => ({ t, url } = app));

  it('when the assigned electrician reports positions, then only that order’s customer hears them, while accepted, at most every 10 s, with distance and ETA', async () => {
    const customer = await login(t, 'otw-customer');
    const other = await login(t, 'otw-other');
    const e = await loginAsElectrician(t, 'otw-e');
    const order = await placeOrder(t, customer);
    const [customerSocket, otherSocket, eSocket] = await Promise.all([
      connect(url, customer.token),
      connect(url, other.token),
      connect(url, e.token),
    ]);
    const heard = record([customerSocket, otherSocket], 'electrician-location');

    // Before acceptance: nothing.
    expect(await eSocket.emitWithAck('update_location', ON_THE_ROAD)).toMatchObject({ ok: true });
    await heard.settle();
    expect(heard.of(customerSocket)).toEqual([]);

    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(e.auth).send({})).status).toBe(200);
    expect(await eSocket.emitWithAck('update_location', ON_THE_ROAD)).toMatchObject({ ok: true });
    // Within the interval: not again.
    expect(await eSocket.emitWithAck('update_location', { latitude: 30.25, longitude: 120.1335 })).toMatchObject({ ok: true });
    await heard.settle();
    expect(heard.of(customerSocket)).toHaveLength(1);
    const first = heard.of(customerSocket)[0]!;
    expect(first).toMatchObject({ orderId: order.id, ...ON_THE_ROAD, at: t.clock.now().toISOString() });
    expect(first.distanceKm).toBeCloseTo(2.22, 1);
    expect(first.etaMinutes).toBe(Math.ceil((first.distanceKm / ELECTRICIAN_TRAVEL_KMH) * 60));
    expect(heard.of(otherSocket)).toEqual([]);

    t.clock.advance(ON_THE_WAY_INTERVAL_MS);
    const nearer = { latitude: 30.2602, longitude: 120.1335 };
    expect(await eSocket.emitWithAck('update_location', nearer)).toMatchObject({ ok: true });
    await heard.settle();
    expect(heard.of(customerSocket)).toHaveLength(2);
    expect(heard.of(customerSocket)[1]).toMatchObject({ orderId: order.id, ...nearer, etaMinutes: 1 });
    expect(heard.of(customerSocket)[1]!.distanceKm).toBeLessThan(0.2);

    // After arrival: nothing more.
    const arrived = await t.http
      .post(`/api/orders/${order.id}/arrive`)
      .set(e.auth)
      .send({ latitude: 30.2612, longitude: 120.1335 });
    expect(arrived.status).toBe(200);
    t.clock.advance(ON_THE_WAY_INTERVAL_MS);
    expect(await eSocket.emitWithAck('update_location', nearer)).toMatchObject({ ok: true });
    await heard.settle();
    expect(heard.of(customerSocket)).toHaveLength(2);
  });
});
