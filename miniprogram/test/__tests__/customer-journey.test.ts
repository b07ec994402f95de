// @vitest-environment jsdom
/// <reference types="node" />
/**
 * The whole repair through the pages of two phones against one live API: a customer orders with
 * a photo, an electrician sees it live in the hall and grabs it, arrives and quotes; the customer
 * accepts, the electrician completes with a photo, the customer pays (dev pay) and reviews.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Realtime } from '../../services/realtime';
import { electricianPhone, freshApp, locateAt, openPage, text } from '../../pages/electrician/__tests__/support';
import { dataOf, pageModule, SITE } from '../journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveWx } from '../live';
import { photoFile, pickPhotos } from '../photos';
import { settle, tapStar } from '../setup';

let api: LiveApi;
let bridge: LiveWx;
const realtimes: Realtime[] = [];
beforeAll(async () => {
  api = await startLiveApi();
  bridge = bridgeWx(api);
  locateAt(SITE);
  vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
    opts.success?.({ name: '文三路 100 号', address: '浙江省杭州市西湖区', ...SITE, errMsg: 'chooseLocation:ok' });
  }) as never);
});
afterAll(async () => {
  realtimes.forEach((r) => r.disconnect());
  vi.restoreAllMocks();
  await api?.stop();
});

/** The realtime client of the pages rendered since the last freshApp() (one per phone). */
const currentRealtime = () => {
  const r = pageModule<{ realtime: Realtime }>('services/realtime.ts').realtime;
  if (!realtimes.includes(r)) realtimes.push(r);
  return r;
};
const input = (value: string, dataset: Record<string, unknown> = {}) => ({ detail: { value }, currentTarget: { dataset } });

describe('客户旅程', () => {
  it('when a customer orders with a photo, then an electrician grabs it live, quotes, completes; the customer accepts, pays and reviews', async () => {
    // --- the electrician's phone: the hall is open and connected
    freshApp();
    const electrician = await electricianPhone(api, bridge, 'journey-e');
    const electricianPhoneDevice = bridge.current();
    const hall = await openPage('pages/hall/hall');
    const electricianRealtime = currentRealtime();
    await eventually(() => expect(electricianRealtime.status()).toBe('connected'));
    await eventually(() => expect(text(hall)).toContain('附近暂时没有待接的订单'));

    // --- the customer's phone: order with a photo
    freshApp();
    const customerDevice = bridge.device('journey-c');
    const customer = await api.login('journey-c');
    await customerDevice.signIn(customer);
    bridge.use(customerDevice);
    const orderPage = await openPage('pages/user/order/order');
    await eventually(() => expect(dataOf(orderPage).loading).toBe(false));
    const o = orderPage.instance;
    o.onNameInput(input('陈先生'));
    o.onPhoneInput(input('13700137000'));
    o.onRegionChange(input(['浙江省', '杭州市', '西湖区'] as unknown as string));
    o.onChooseLocation();
    o.onDescriptionInput(input('客厅灯和插座都没电，空开合不上'));
    pickPhotos([await photoFile('journey-order')]);
    await o.onAddPhotos();
    expect((dataOf(orderPage).photos as unknown[]).length).toBe(1);
    await o.onSubmit();
    await settle(1);
    expect(orderPage.dom.textContent).toContain('下单成功');
    const [orderRow] = await api.rows('orders', { user_id: customer.userId });
    const orderId = Number(orderRow.id);
    o.onViewOrder();
    expect(bridge.navigations.at(-1)?.url).toBe(`/pages/user/order-detail/order-detail?id=${orderId}`);
    const detail = await openPage('pages/user/order-detail/order-detail', { id: String(orderId) });
    const customerRealtime = currentRealtime();
    await eventually(() => expect(detail.querySelector('.order-status')?.dom.textContent).toBe('待接单'));
    await eventually(() => expect(customerRealtime.status()).toBe('connected'));

    // --- the electrician sees it appear live and grabs it
    await eventually(() => expect(text(hall)).toContain('客厅灯和插座都没电，空开合不上'));
    bridge.use(electricianPhoneDevice);
    await hall.instance.onGrab({ currentTarget: { dataset: { id: orderId } } });
    expect(bridge.navigations.at(-1)?.url).toBe(`/pages/electrician/order-detail/order-detail?id=${orderId}`);
    await eventually(() => expect(detail.querySelector('.order-status')?.dom.textContent).toBe('已接单'));

    // --- arrives and quotes on the electrician's order page
    const work = await openPage('pages/electrician/order-detail/order-detail', { id: String(orderId) });
    await work.instance.onArrive();
    await eventually(async () => expect((await api.rows('orders', { id: orderId }))[0].status).toBe('arrived'));
    work.instance.onAddItem();
    work.instance.onItemInput(input('空气开关', { index: 0, field: 'name' }));
    work.instance.onItemInput(input('1', { index: 0, field: 'quantity' }));
    work.instance.onItemInput(input('45', { index: 0, field: 'unitPrice' }));
    work.instance.onLabourInput(input('80'));
    await work.instance.onSubmitQuote();
    await eventually(() =>
      expect((detail.querySelector('.quote')?.dom.textContent ?? '').replace(/\s+/g, '')).toContain('合计¥125.00'),
    );

    // --- the customer accepts the quote
    bridge.use(customerDevice);
    detail.instance.onShow();
    await eventually(() => expect(detail.querySelector('.accept-quote')).toBeTruthy());
    detail.instance.onAcceptQuote();
    await eventually(() => expect(detail.querySelector('.order-status')?.dom.textContent).toBe('维修中'));

    // --- the electrician completes with a photo
    bridge.use(electricianPhoneDevice);
    const repair = await openPage('pages/electrician/repair-input/repair-input', { id: String(orderId) });
    pickPhotos([await photoFile('journey-repair')]);
    await repair.instance.onAddPhotos();
    repair.instance.onContentInput({ detail: { value: '更换损坏的空气开关，复测线路绝缘正常' } });
    await repair.instance.onSubmit();
    await eventually(async () => expect((await api.rows('orders', { id: orderId }))[0].status).toBe('completed'));

    // --- the customer pays (dev pay) and reviews
    bridge.use(customerDevice);
    detail.instance.onShow();
    await eventually(() => expect(detail.querySelector('.pay')?.dom.textContent).toContain('¥125.00'));
    detail.instance.onPay();
    expect(bridge.navigations.at(-1)?.url).toBe(`/pages/user/payment/payment?orderId=${orderId}`);
    const payment = await openPage('pages/user/payment/payment', { orderId: String(orderId) });
    await eventually(() =>
      expect((payment.querySelector('.breakdown')?.dom.textContent ?? '').replace(/\s+/g, '')).toContain('应付¥125.00'),
    );
    await payment.instance.onPay();
    await eventually(() => expect(payment.dom.textContent).toContain('支付成功'));
    payment.instance.onReview();
    const evaluate = await openPage('pages/user/evaluate/evaluate', { orderId: String(orderId) });
    await eventually(() => expect(dataOf(evaluate).loading).toBe(false));
    await tapStar(evaluate, '.rating__stars', 4, 2);
    evaluate.instance.onToggleTag({ currentTarget: { dataset: { index: 0 } } });
    evaluate.instance.onContentInput({ detail: { value: '上门很快，修得彻底' } });
    await evaluate.instance.onSubmit();
    await eventually(() => expect(evaluate.querySelector('.reviewed')?.dom.textContent).toContain('已评价'));

    // --- the database has the whole story
    const [final] = await api.rows('orders', { id: orderId });
    expect(final).toMatchObject({ status: 'completed', payment_status: 'paid', contact_name: '陈先生' });
    expect(Number(final.final_amount)).toBe(12500);
    expect(Number(final.electrician_id)).toBe(electrician.electricianId);
    const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown[]) : (v as unknown[]));
    expect(json(final.images)).toHaveLength(1);
    expect(json(final.repair_images)).toHaveLength(1);
    const events = await api.rows('order_events', { order_id: orderId });
    expect(events.map((e) => e.action)).toEqual(['create', 'grab', 'arrive', 'quote', 'quote_accept', 'complete', 'pay']);
    const [paid] = await api.rows('payments', { order_id: orderId });
    expect(paid).toMatchObject({ status: 'paid' });
    expect(Number(paid.amount)).toBe(12500);
    const [review] = await api.rows('reviews', { order_id: orderId });
    expect([review.service_rating, review.quality_rating, review.speed_rating].map(Number)).toEqual([5, 5, 4]);
    expect(review.content).toBe('上门很快，修得彻底');
  });
});
