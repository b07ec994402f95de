import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, uploadImage, WEST_LAKE } from './order-helpers';

/**
 * The hall sends each order's masked view as text it wrote once per state of the order
 * (orders.views.ts `maskedJson`): it must be the very view the order's own page shows the same
 * electrician, photos signed, and follow the order when it comes back to the hall changed.
 */
describe('hall items as the masked view', () => {
  let t: TestApp;
  let viewer: Session;
  let taker: Session;
  let customer: Session;

  beforeAll(async () => {
    t = await createTestApp();
    viewer = await loginAsElectrician(t, 'hall-views-viewer', WEST_LAKE);
    taker = await loginAsElectrician(t, 'hall-views-taker', WEST_LAKE);
    customer = await login(t, 'hall-views-customer');
  });
  afterAll(() => t?.close());

  const hallItem = async (id: number) => {
    const res = await t.http
      .get('/api/orders/hall')
      .set(viewer.auth)
      .query({ ...WEST_LAKE, radiusKm: 20, limit: 100 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return (res.body.data as Record<string, unknown>[]).find((i) => i.id === id);
  };
  const detail = async (id: number) => {
    const res = await t.http.get(`/api/orders/${id}`).set(viewer.auth);
    expect(res.status).toBe(200);
    return res.body.data as Record<string, unknown>;
  };

  it('when an order with photos is in the hall, then its item is its masked detail, photos signed, and after a release it shows the new state', async () => {
    const photos = [await uploadImage(t, customer, 'order'), await uploadImage(t, customer, 'order')];
    const order = await placeOrder(t, customer, { images: photos, description: '吊灯 "一闪一闪"，开关\\面板发烫' });

    const first = await hallItem(order.id);
    const shown = await detail(order.id);
    expect(first).toEqual(shown);
    expect((first as { images: { id: number; url: string }[] }).images.map((i) => i.id)).toEqual(photos);
    expect((first as { description: string }).description).toBe('吊灯 "一闪一闪"，开关\\面板发烫');

    // Taken and released, the order is back in the hall at a new version with a new expiry.
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(taker.auth)).status).toBe(200);
    expect(await hallItem(order.id)).toBeUndefined();
    t.clock.advance(60_000);
    const released = await t.http.post(`/api/orders/${order.id}/release`).set(taker.auth).send({ reason: '临时有急事去不了' });
    expect(released.status).toBe(200);
    const again = await hallItem(order.id);
    expect(again).toEqual(await detail(order.id));
    expect((again as { expiresAt: string }).expiresAt).not.toBe((first as { expiresAt: string }).expiresAt);
  });

  it('when any JSON answer is sent, then it carries no ETag (files keep their own)', async () => {
    const res = await t.http
      .get('/api/orders/hall')
      .set(viewer.auth)
      .query({ ...WEST_LAKE, radiusKm: 5 });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeUndefined();
  });
});
