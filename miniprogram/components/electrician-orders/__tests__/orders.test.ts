// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { advanceOrder, dataOf, placeOrder } from '../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../test/live';
import { NETWORK_FAILURE, stateButton } from '../../../test/setup';
import { electricianPhone, openPage, text, useLiveBridge } from '../../../pages/electrician/__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge((a, b) => {
  api = a;
  bridge = b;
});

const ORDERS = 'components/electrician-orders/index';

describe('电工 · 我的订单', () => {
  it('when the electrician has no orders yet, then the empty state points to the hall', async () => {
    await electricianPhone(api, bridge, 'eo-none');
    const page = await openPage(ORDERS);
    await eventually(() => expect(page.querySelector('.empty')?.dom.textContent).toContain('暂无订单'));
    page.instance.onHall();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'switchTab', url: '/pages/hall/hall' });
  });

  it('when the list cannot be loaded, then the error shows and retry loads it', async () => {
    await electricianPhone(api, bridge, 'eo-net');
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(ORDERS);
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.empty')?.dom.textContent).toContain('暂无订单'));
  });

  it('when orders are assigned, then only mine are listed, tabs filter by status, scrolling loads more and pull-down refreshes', async () => {
    const customer = await api.login('eo-cust');
    const other = await api.loginAsElectrician('eo-other');
    const theirs = await placeOrder(api, customer, { title: '别人的单 跳闸' });
    await advanceOrder(api, theirs.id, other, customer, 'accepted');
    const e = await electricianPhone(api, bridge, 'eo-many');
    for (let i = 1; i <= 10; i += 1) {
      const o = await placeOrder(api, customer, { title: `已完成第${i}单` });
      await advanceOrder(api, o.id, e, customer, 'completed');
    }
    const current = await placeOrder(api, customer, { title: '当前这单 灯不亮' });
    await advanceOrder(api, current.id, e, customer, 'accepted');

    const page = await openPage(ORDERS);
    await eventually(() => expect(dataOf(page).orders).toHaveLength(10));
    expect(text(page)).toContain('当前这单 灯不亮');
    expect(text(page)).toContain('上拉加载更多');
    await page.instance.onReachBottom();
    await eventually(() => expect(dataOf(page).orders).toHaveLength(11));
    expect(text(page)).toContain('没有更多了');
    expect(text(page)).not.toContain('别人的单');
    expect(text(page)).toContain('应付 ¥125.00');

    page.instance.onTab({ currentTarget: { dataset: { index: 1 } } });
    await eventually(() => expect(dataOf(page).orders).toHaveLength(1));
    expect(page.querySelector('.order')?.dom.textContent).toContain('已接单');
    expect(bridge.requests.at(-1)?.url).toBe('/api/orders?as=electrician&status=accepted&page=1&limit=10');

    await api.call('POST', `/api/orders/${current.id}/arrive`, e.token, { latitude: 30.259, longitude: 120.13 });
    await page.instance.onPullDownRefresh();
    expect(text(page)).toContain('暂无订单');

    page.instance.onTab({ currentTarget: { dataset: { index: 2 } } });
    await eventually(() => expect(page.querySelector('.order')?.dom.textContent).toContain('已上门'));
    page.instance.onOpen({ currentTarget: { dataset: { id: current.id } } });
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/electrician/order-detail/order-detail?id=${current.id}`,
    });
  });
});
