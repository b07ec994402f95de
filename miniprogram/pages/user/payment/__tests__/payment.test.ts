// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { advanceOrder, openOnPhone, placeOrder, QUOTE_TOTAL, useLiveApi } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveSession } from '../../../../test/live';
import { NETWORK_FAILURE, settle, type RenderedPage } from '../../../../test/setup';

let api: LiveApi;
useLiveApi((started) => {
  api = started;
});

const open = (name: string, session: LiveSession, orderId: number) =>
  openOnPhone(api, name, session, 'pages/user/payment/payment', { orderId: String(orderId) });

const text = (page: RenderedPage, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';

describe('订单支付', () => {
  it('when a completed order is paid in dev pay mode, then the breakdown shows, the dev notify pays it and the page confirms', async () => {
    const customer = await api.login('payer');
    const electrician = await api.loginAsElectrician('payer-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'completed');
    const requestPayment = vi.spyOn(wx, 'requestPayment');
    const { bridge, page } = await open('payer', customer, order.id);
    // The breakdown (components/price-breakdown): each material with its unit price, labour, what is due.
    const breakdown = () => text(page, '.breakdown').replace(/\s+/g, '');
    await eventually(() => expect(breakdown()).toContain('应付¥125.00'));
    // The line was typed in by hand, not taken from the price list, and says so.
    expect(breakdown()).toContain('空气开关×1单价¥45.00价目表外¥45.00');
    expect(breakdown()).toContain('人工费¥80.00');

    await page.instance.onPay();
    await settle(1);
    expect(page.dom.textContent).toContain('支付成功');
    expect(requestPayment).not.toHaveBeenCalled();
    const create = bridge.requests.find((r) => r.url === '/api/payments');
    expect(create?.data).toEqual({ orderId: order.id, amount: QUOTE_TOTAL });
    const [payment] = await api.rows('payments', { order_id: order.id });
    expect(payment.status).toBe('paid');
    expect(Number(payment.amount)).toBe(QUOTE_TOTAL);
    expect(bridge.requests.some((r) => r.url === `/api/dev/payments/${String(payment.payment_no)}/succeed`)).toBe(true);
    expect((await api.rows('orders', { id: order.id }))[0].payment_status).toBe('paid');

    page.instance.onReview();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'redirectTo', url: `/pages/user/evaluate/evaluate?orderId=${order.id}` });

    // Opening it again shows the paid state, not a second payment.
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.go-review')).toBeTruthy());
    expect(await api.rows('payments', { order_id: order.id })).toHaveLength(1);
  });

  it('when nothing is due yet, then the page says so and offers no payment', async () => {
    const customer = await api.login('early');
    const order = await placeOrder(api, customer);
    const { page } = await open('early', customer, order.id);
    await eventually(() => expect(text(page, '.nothing-due')).toContain('该订单当前无需支付'));
    expect(page.querySelector('.pay')).toBeFalsy();
  });

  it("when the order is not the customer's or the network fails, then the error state shows", async () => {
    const owner = await api.login('pay-owner');
    const order = await placeOrder(api, owner);
    const other = await api.login('pay-other');
    const { bridge, page } = await open('pay-other', other, order.id);
    await eventually(() => expect(page.querySelector('.load-error')).toBeTruthy());
    expect(page.querySelector('.pay')).toBeFalsy();
    bridge.intercept = () => NETWORK_FAILURE;
    await page.instance.load();
    expect(text(page, '.load-error')).toContain('网络异常，请稍后重试');
    expect(await api.rows('payments', { order_id: order.id })).toHaveLength(0);
  });
});
