// @vitest-environment jsdom
/**
 * Journey: a grab lost to another electrician. Two electricians have the hall open on their own
 * phones (each its own realtime connection); a customer orders; both halls show it live; A grabs
 * through the page and wins; B's grab through its page shows 「手慢了」 and the order leaves B's hall.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Realtime } from '../../../services/realtime';
import { pageRealtime, placeOrder, SITE } from '../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi } from '../../../test/live';
import type { RenderedPage } from '../../../test/setup';
import { electricianPhone, freshApp, locateAt, openPage } from './support';

let api: LiveApi;
const phones: Realtime[] = [];
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  for (const rt of phones) rt.disconnect();
  vi.restoreAllMocks();
  await api?.stop();
});

const HALL = 'pages/hall/hall';
const rowIds = (page: RenderedPage) => (page.instance.data as { orders: { id: number }[] }).orders.map((o) => o.id);
const tapGrab = (page: RenderedPage, id: number): Promise<void> => page.instance.onGrab({ currentTarget: { dataset: { id } } });

describe('journey: a grab lost to a faster electrician', () => {
  it('when A wins the order, then B, grabbing through the hall, sees 手慢了 and the order leaves both halls', async () => {
    const bridge = bridgeWx(api);
    locateAt(SITE);

    // Each electrician opens the hall on their own phone: a fresh app, its own socket.
    const a = await electricianPhone(api, bridge, 'race-a');
    const phoneA = bridge.current();
    freshApp();
    const hallA = await openPage(HALL);
    phones.push(pageRealtime());
    await eventually(() => expect((hallA.instance.data as { loading: boolean }).loading).toBe(false));

    await electricianPhone(api, bridge, 'race-b');
    const phoneB = bridge.current();
    freshApp();
    const hallB = await openPage(HALL);
    phones.push(pageRealtime());
    await eventually(() => expect((hallB.instance.data as { loading: boolean }).loading).toBe(false));
    await eventually(() => expect(phones.map((rt) => rt.status())).toEqual(['connected', 'connected']));
    expect(phones[0]).not.toBe(phones[1]);

    const customer = await api.login('race-customer');
    const order = await placeOrder(api, customer, { description: '店铺照明全部熄灭，急修' });

    // Both halls show it live, from their own sockets.
    await eventually(() => expect(rowIds(hallA)).toContain(order.id));
    await eventually(() => expect(rowIds(hallB)).toContain(order.id));
    expect(hallA.dom.textContent).toContain('店铺照明全部熄灭，急修');
    expect(hallB.dom.textContent).toContain('店铺照明全部熄灭，急修');

    bridge.use(phoneA);
    await tapGrab(hallA, order.id);
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/electrician/order-detail/order-detail?id=${order.id}`,
    });
    expect(rowIds(hallA)).not.toContain(order.id);

    bridge.use(phoneB);
    await tapGrab(hallB, order.id);
    expect(hallB.querySelector('.notice')?.dom.textContent).toBe('手慢了，订单已被其他师傅抢走');
    expect(bridge.toasts.at(-1)).toBe('手慢了，订单已被其他师傅抢走');
    expect(rowIds(hallB)).not.toContain(order.id);
    expect(hallB.dom.textContent).not.toContain('店铺照明全部熄灭，急修');

    // The server told B (and only B) that the order was taken.
    const taken = `42${JSON.stringify(['order-taken', { orderId: order.id }])}`;
    const framesOf = (device: string) => bridge.sockets.filter((s) => s.device === device).flatMap((s) => s.received);
    await eventually(() => expect(framesOf('race-b')).toContain(taken));
    expect(framesOf('race-a')).not.toContain(taken);

    const [row] = await api.rows('orders', { id: order.id });
    expect([row.status, row.electrician_id]).toEqual(['accepted', a.electricianId]);
    const grabs = (await api.rows('order_events', { order_id: order.id })).filter((e) => e.action === 'grab');
    expect(grabs).toHaveLength(1);
  });
});
