// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, dataOf, placeOrder } from '../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi } from '../../../test/live';
import { NETWORK_FAILURE, renderPage, settle } from '../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function open(name: string) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  const session = await api.login(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage('components/customer-orders/index');
  page.instance.onLoad({});
  return { bridge, page, session };
}

describe('我的订单', () => {
  it('when the customer has no orders, then the empty state offers to place one', async () => {
    const { bridge, page } = await open('none');
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.empty')?.dom.textContent).toContain('暂无订单'));
    page.instance.onNewOrder();
    expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url: '/pages/user/order/order' });
  });

  it('when the list cannot be loaded, then the error shows and retry loads it', async () => {
    const { bridge, page, session } = await open('offline');
    const order = await placeOrder(api, session);
    bridge.intercept = () => NETWORK_FAILURE;
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    await page.instance.reload();
    await settle(1);
    expect(page.querySelector('.order')?.dom.textContent).toContain(order.orderNo);
  });

  it('when orders exist, then tabs filter by status, pull-down refreshes and scrolling loads more', async () => {
    const { bridge, page, session } = await open('many');
    const electrician = await api.loginAsElectrician('many-e');
    const first = await placeOrder(api, session, { title: '第一单 灯不亮' });
    await advanceOrder(api, first.id, electrician, session, 'quoted');
    for (let i = 2; i <= 11; i += 1) {
      // One customer may hold only a few active orders: cancel each right after placing it.
      const o = await placeOrder(api, session, { title: `第${i}单 插座` });
      await api.call('POST', `/api/orders/${o.id}/cancel`, session.token, { reason: '已自行修好' });
    }
    page.instance.onShow();
    await eventually(() => expect(dataOf(page).orders).toHaveLength(10));
    expect(page.dom.textContent).toContain('上拉加载更多');
    await page.instance.onReachBottom();
    await settle(1);
    expect(dataOf(page).orders).toHaveLength(11);
    expect(page.dom.textContent).toContain('没有更多了');
    expect(page.dom.textContent).toContain('第一单 灯不亮');
    expect(page.dom.textContent).toContain('报价 ¥125.00');

    page.instance.onTab({ currentTarget: { dataset: { index: 3 } } });
    await eventually(() => expect(dataOf(page).orders).toHaveLength(1));
    expect(page.querySelector('.order')?.dom.textContent).toContain('待确认报价');
    expect(bridge.requests.at(-1)?.url).toContain('status=quoted');

    await api.call('POST', `/api/orders/${first.id}/quote/accept`, session.token, {});
    await page.instance.onPullDownRefresh();
    expect(page.dom.textContent).toContain('暂无订单');
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();

    page.instance.onTab({ currentTarget: { dataset: { index: 4 } } });
    await eventually(() => expect(page.querySelector('.order')?.dom.textContent).toContain('维修中'));
    page.instance.onOpen({ currentTarget: { dataset: { id: first.id } } });
    expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url: `/pages/user/order-detail/order-detail?id=${first.id}` });
  });
});
