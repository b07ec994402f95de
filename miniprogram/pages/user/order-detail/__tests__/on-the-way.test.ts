// @vitest-environment jsdom
/// <reference types="node" />
import { afterAll, describe, expect, it } from 'vitest';
import type { Realtime } from '../../../../services/realtime';
import { advanceOrder, pageModule, placeOrder, SITE } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../../test/live';
import { electricianPhone, freshApp, locateAt, openPage, useLiveBridge } from '../../../electrician/__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
/** About 2.2 km south of the order (SITE). */
const ROAD = { latitude: SITE.latitude - 0.02, longitude: SITE.longitude };
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
    locateAt(ROAD);
  },
  { realtime: true },
);
const realtimes: Realtime[] = [];
const currentRealtime = () => {
  const r = pageModule<{ realtime: Realtime }>('services/realtime.ts').realtime;
  if (!realtimes.includes(r)) realtimes.push(r);
  return r;
};
afterAll(() => realtimes.forEach((r) => r.disconnect()));

describe('师傅正在赶来', () => {
  it('when the order is accepted and the electrician’s app shares its position, then the customer sees the map with distance and ETA, and not after arrival', async () => {
    const customer = await api.login('otw-c');
    const order = await placeOrder(api, customer);

    // The customer's phone: the order detail, pending — nothing of the way yet.
    freshApp();
    const customerDevice = bridge.device('otw-c');
    await customerDevice.signIn(customer);
    bridge.use(customerDevice);
    const detail = await openPage('pages/user/order-detail/order-detail', { id: String(order.id) });
    const customerRealtime = currentRealtime();
    await eventually(() => expect(customerRealtime.status()).toBe('connected'));
    expect(detail.querySelector('.on-the-way')).toBeFalsy();

    // The electrician takes it and opens it on their phone: the app starts sharing its position.
    freshApp();
    const e = await electricianPhone(api, bridge, 'otw-e');
    await advanceOrder(api, order.id, e, customer, 'accepted');
    const mine = await openPage('pages/electrician/order-detail/order-detail', { id: String(order.id) });
    currentRealtime();
    // The page loads from the live API: wait for it rather than for a fixed number of ticks.
    await eventually(() => expect(mine.dom.textContent).toContain('已接单'));

    bridge.use(customerDevice);
    await detail.instance.load();
    await eventually(() =>
      expect(detail.querySelector('.on-the-way__eta')?.dom.textContent).toMatch(/^距你 2\.2 公里 · 约 \d+ 分钟到达$/),
    );
    const view = (detail.instance.data as { onTheWay: { markers: { iconPath: string; latitude: number }[] } }).onTheWay;
    expect(view.markers.map((m) => m.iconPath)).toEqual([
      '/assets/icons/marker-home.png',
      '/assets/icons/marker-electrician.png',
    ]);
    expect(view.markers[1].latitude).toBeCloseTo(ROAD.latitude, 5);

    // Arrived: the way is over, the map goes.
    await api.call('POST', `/api/orders/${order.id}/arrive`, e.token, SITE);
    await eventually(() => expect(detail.querySelector('.on-the-way')).toBeFalsy());
    expect((detail.instance.data as { onTheWay: unknown }).onTheWay).toBeNull();
  });
});
