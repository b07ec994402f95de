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
    await eventually(() => expect(dataOf(page).loading).toBe(false));
    expect(page.dom.textContent).toContain('上拉加载更多');
    await page.instance.onReachBottom();
    await settle(1);
    expect(dataOf(page).orders).toHaveLength(11);
    expect(page.dom.textContent).toContain('没有更多了');
    expect(page.dom.textContent).toContain('第一单 灯不亮');
    expect(page.dom.textContent).toContain('报价 ¥125.00');

    page.instance.onTab({ currentTarget: { dataset: { index: 4 } } });
    await eventually(() => expect(dataOf(page).orders).toHaveLength(1));
    expect(page.querySelector('.order')?.dom.textContent).toContain('待确认报价');
    expect(bridge.requests.some((r) => r.url.includes('status=quoted'))).toBe(true);

    await api.call('POST', `/api/orders/${first.id}/quote/accept`, session.token, {});
    await page.instance.onPullDownRefresh();
    expect(page.dom.textContent).toContain('暂无订单');
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();

    page.instance.onTab({ currentTarget: { dataset: { index: 5 } } });
    await eventually(() => expect(page.querySelector('.order')?.dom.textContent).toContain('维修中'));
    page.instance.onOpen({ currentTarget: { dataset: { id: first.id } } });
    expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url: `/pages/user/order-detail/order-detail?id=${first.id}` });
  });

  it('when a completed order is unpaid, then 待支付 shows its badge and row, labelled 应付, and the row’s buttons pay, review and contact', async () => {
    const { bridge, page, session } = await open('unpaid');
    const electrician = await api.loginAsElectrician('unpaid-e');
    const done = await placeOrder(api, session, { title: '完工待付款' });
    await advanceOrder(api, done.id, electrician, session, 'completed');
    const active = await placeOrder(api, session, { title: '师傅在路上' });
    await advanceOrder(api, active.id, electrician, session, 'accepted');
    const [row] = await api.rows('orders', { id: done.id });

    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.tab__badge')?.dom.textContent).toBe('1'));
    page.querySelectorAll('.tab')[1].dispatchEvent('tap');
    await eventually(() => expect(dataOf(page).orders).toHaveLength(1));
    const card = page.querySelector('.order')!.dom.textContent ?? '';
    expect(card).toContain('完工待付款');
    expect(card).toContain(`应付 ¥${(Number(row.final_amount) / 100).toFixed(2)}`);
    expect(card).not.toContain('实付');
    page.querySelector('.pay')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/user/payment/payment?orderId=${done.id}` });

    const payment = await api.call<{ paymentNo: string }>('POST', '/api/payments', session.token, { orderId: done.id });
    await api.call('POST', `/api/dev/payments/${payment.body.data.paymentNo}/succeed`, session.token, {});
    page.querySelectorAll('.tab')[0].dispatchEvent('tap');
    await eventually(() => expect(dataOf(page).orders).toHaveLength(2));
    // The badge is recounted beside the list (a second request): it goes once that answer lands.
    await eventually(() => expect(page.querySelector('.tab__badge')).toBeFalsy());
    const text = page.dom.textContent ?? '';
    expect(text).toContain(`实付 ¥${(Number(row.final_amount) / 100).toFixed(2)}`);
    page.querySelector('.review')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/user/evaluate/evaluate?orderId=${done.id}` });
    page.querySelector('.contact')!.dispatchEvent('tap');
    await eventually(() =>
      expect(bridge.navigations.at(-1)?.url).toMatch(
        new RegExp(`^/pages/common/chat/chat\\?conversationId=\\d+&orderId=${active.id}$`),
      ),
    );
  });

  it('when the network drops after the list was loaded once, then the last list shows with a weak-network banner instead of an error', async () => {
    const { bridge, page, session } = await open('weak');
    const order = await placeOrder(api, session, { title: '弱网也能看到' });
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.order')?.dom.textContent).toContain('弱网也能看到'));
    await eventually(() => expect(dataOf(page).loading).toBe(false));

    bridge.intercept = () => NETWORK_FAILURE;
    await page.instance.reload();
    await settle(1);
    expect(page.querySelector('.stale-banner')?.dom.textContent).toMatch(/^网络不佳，显示的是 \d\d-\d\d \d\d:\d\d 的数据/);
    expect(page.querySelector('.order')?.dom.textContent).toContain(order.orderNo);
    expect(page.querySelector('.load-error')).toBeFalsy();

    bridge.intercept = undefined;
    await page.instance.reload();
    await settle(1);
    expect(page.querySelector('.stale-banner')).toBeFalsy();
  });
});
