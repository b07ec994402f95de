// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveWx } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { gridPhotos, NETWORK_FAILURE, stateButton } from '../../../../test/setup';
import { electricianPhone, openPage } from '../../__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
beforeAll(async () => {
  api = await startLiveApi();
  bridge = bridgeWx(api);
});
afterEach(() => {
  bridge.intercept = undefined;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await api?.stop();
});

const REPAIR = 'pages/electrician/repair-input/repair-input';

async function inProgress(name: string) {
  const customer = await api.login(`${name}-cust`);
  const order = await placeOrder(api, customer);
  const e = await electricianPhone(api, bridge, name);
  await advanceOrder(api, order.id, e, customer, 'in_progress');
  return order;
}

describe('电工 · 维修记录', () => {
  it('when the repair is written up with photos, then the order completes with them and the detail opens', async () => {
    const order = await inProgress('ri-e1');
    const page = await openPage(REPAIR, { id: String(order.id) });
    await eventually(() => expect(page.dom.textContent).toContain(order.orderNo));
    pickPhotos([await photoFile('ri-1'), await photoFile('ri-2')]);
    await page.instance.onAddPhotos();
    await eventually(() => expect(gridPhotos(page, '.repair-photos')).toBe(2));
    expect((page.instance.data as { photos: unknown[] }).photos).toHaveLength(2);
    page.instance.onContentInput({ detail: { value: '更换了烧毁的插座和一段老化电线，通电测试正常' } });
    await page.instance.onSubmit();

    expect(bridge.navigations.at(-1)).toEqual({
      api: 'redirectTo',
      url: `/pages/electrician/order-detail/order-detail?id=${order.id}`,
    });
    const [row] = await api.rows('orders', { id: order.id });
    expect(row.status).toBe('completed');
    expect(row.repair_content).toBe('更换了烧毁的插座和一段老化电线，通电测试正常');
    const uploads = await api.rows('uploads', { purpose: 'repair' });
    // A JSON column: text on SQLite, already parsed on MariaDB.
    const images: unknown = typeof row.repair_images === 'string' ? JSON.parse(row.repair_images) : row.repair_images;
    expect(images).toEqual(expect.arrayContaining(uploads.slice(-2).map((u) => u.id)));
  });

  it('when no photo was added, then the form asks for one and nothing is sent', async () => {
    const order = await inProgress('ri-e2');
    const page = await openPage(REPAIR, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.submit')).toBeTruthy());
    page.instance.onContentInput({ detail: { value: '更换了空气开关' } });
    const sent = bridge.requests.length;
    await page.instance.onSubmit();
    await eventually(() => expect(page.querySelector('.form-error')?.dom.textContent).toBe('请至少上传一张维修照片'));
    expect(bridge.requests.length).toBe(sent);
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('in_progress');
  });

  it('when the order is not being repaired, then there is nothing to fill in', async () => {
    const customer = await api.login('ri-e3-cust');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'ri-e3');
    await advanceOrder(api, order.id, e, customer, 'accepted');
    const page = await openPage(REPAIR, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.not-repairing')?.dom.textContent).toContain('订单已接单，不在维修中'));
    expect(page.querySelector('.submit')).toBeFalsy();
  });

  it('when the order cannot be loaded, then the error shows and retry loads it', async () => {
    const order = await inProgress('ri-e4');
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(REPAIR, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.submit')).toBeTruthy());
  });
});
