// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { advanceOrder, pageRealtime, placeOrder, SITE } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../../test/live';
import { NETWORK_FAILURE, stateButton } from '../../../../test/setup';
import { electricianPhone, locateAt, openPage, text, useLiveBridge } from '../../__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
    locateAt(SITE);
  },
  { realtime: true },
);

const DETAIL = 'pages/electrician/order-detail/order-detail';
const input = (value: string, dataset: Record<string, unknown> = {}) => ({ detail: { value }, currentTarget: { dataset } });

describe('电工 · 订单详情', () => {
  it('when the order is accepted, then the full contact shows; navigate, call, arrive, quote, and the customer accepting shows live', async () => {
    const customer = await api.login('ed-cust');
    const order = await placeOrder(api, customer, { description: '厨房插座冒火花，总闸跳闸' });
    const e = await electricianPhone(api, bridge, 'ed-e1');
    await advanceOrder(api, order.id, e, customer, 'accepted');
    const openLocation = vi.spyOn(wx, 'openLocation').mockImplementation((() => undefined) as never);
    const call = vi.spyOn(wx, 'makePhoneCall').mockImplementation((() => undefined) as never);

    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已接单'));
    expect(page.querySelector('.customer')?.dom.textContent).toContain('王女士 · 13900139000');
    expect(page.querySelector('.address')?.dom.textContent).toContain('文三路 100 号 2 幢 301');
    expect(page.querySelector('.quote')).toBeFalsy();

    page.instance.onNavigate();
    expect(openLocation).toHaveBeenCalledWith(expect.objectContaining({ latitude: SITE.latitude, longitude: SITE.longitude }));
    page.instance.onCall();
    expect(call).toHaveBeenCalledWith({ phoneNumber: '13900139000' });

    await page.instance.onArrive();
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已上门'));
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('arrived');

    // The quote builder: one material, a labour fee, the total shown before sending.
    expect(page.querySelector('.quote-total')?.dom.textContent).toBe('¥0.00');
    page.instance.onAddItem();
    page.instance.onItemInput(input('空气开关', { index: 0, field: 'name' }));
    page.instance.onItemInput(input('2', { index: 0, field: 'quantity' }));
    page.instance.onItemInput(input('45.5', { index: 0, field: 'unitPrice' }));
    page.instance.onLabourInput(input('80'));
    await eventually(() => expect(page.querySelector('.quote-total')?.dom.textContent).toBe('¥171.00'));
    await page.instance.onSubmitQuote();
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('待确认报价'));
    // The fees card (components/price-breakdown): the visit fee, each line with its unit price, the quoted total.
    const fees = (page.querySelector('.fees')?.dom.textContent ?? '').replace(/\s+/g, '');
    // A line typed in by hand is not on the price list, and says so.
    expect(fees).toContain('空气开关×2单价¥45.50价目表外¥91.00');
    expect(fees).toContain('人工费¥80.00');
    expect(fees).toContain('报价¥171.00');
    const [quoted] = await api.rows('orders', { id: order.id });
    expect(Number(quoted.quoted_amount)).toBe(17100);

    await eventually(() => expect(pageRealtime().status()).toBe('connected'));
    await api.call('POST', `/api/orders/${order.id}/quote/accept`, customer.token, {});
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('维修中'));
    page.instance.onRepair();
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/electrician/repair-input/repair-input?id=${order.id}`,
    });
  });

  it('when a line is added from the price list, then it carries its item and prices; above the highest price the quote is refused, above the standard one it is flagged', async () => {
    const admin = await api.loginAsAdmin();
    const item = await api.call<{ id: number }>('POST', '/api/admin/catalog/items', admin.token, {
      code: 'L-SOCKET-ED',
      name: '更换插座',
      category: 'labour',
      unit: '个',
      standardPrice: 3000,
      maxPrice: 5000,
      faultTypes: ['circuit'],
    });
    expect(item.status).toBe(201);
    const customer = await api.login('ed-cust-cat');
    const order = await placeOrder(api, customer, { faultType: 'circuit' });
    const e = await electricianPhone(api, bridge, 'ed-e-cat');
    await advanceOrder(api, order.id, e, customer, 'arrived');
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已上门'));

    // The price list opens in select mode on the order's fault type; a tap hands the item back.
    page.querySelector('.pick-catalog')!.dispatchEvent('tap');
    await eventually(() =>
      expect(bridge.navigations.at(-1)).toEqual({
        api: 'navigateTo',
        url: '/pages/user/price-list/price-list?select=1&faultType=circuit',
      }),
    );
    const list = await openPage('pages/user/price-list/price-list', { select: '1', faultType: 'circuit' });
    await eventually(() => expect(list.querySelector('.labour')).toBeTruthy());
    expect(list.querySelector('.intro')).toBeFalsy();
    expect(text(list)).toContain('点选一项加入报价');
    list
      .querySelectorAll('.labour')
      .find((r) => r.dom.textContent?.includes('更换插座'))!
      .dispatchEvent('tap');
    await eventually(() => expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateBack', url: '' }));

    page.instance.onShow();
    await eventually(() =>
      expect(page.querySelector('.catalog-line__hint')?.dom.textContent).toBe('标准价 ¥30.00/个 · 最高 ¥50.00'),
    );
    expect(page.querySelector('.catalog-line__name')!.dom.textContent).toBe('更换插座');
    expect(page.querySelector('.quote-total')?.dom.textContent).toBe('¥30.00');

    page.instance.onItemInput(input('60', { index: 0, field: 'unitPrice' }));
    page.instance.onLabourInput(input('0'));
    await page.instance.onSubmitQuote();
    await eventually(() => expect(page.querySelector('.quote-error')?.dom.textContent).toBe('更换插座 单价不能高于 50.00 元'));
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('arrived');

    page.instance.onItemInput(input('40', { index: 0, field: 'unitPrice' }));
    await page.instance.onSubmitQuote();
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('待确认报价'));
    const fees = (page.querySelector('.fees')?.dom.textContent ?? '').replace(/\s+/g, '');
    expect(fees).toContain('更换插座×1个单价¥40.00高于标准价¥30.00¥40.00');
    const lines = (page.instance.data as { order: { priceLines: { label: string; flag?: { tone: string } }[] } }).order
      .priceLines;
    expect(lines.find((l) => l.label.startsWith('更换插座'))?.flag).toEqual({ text: '高于标准价 ¥30.00', tone: 'warn' });
  });

  it('when a quote line is incomplete, then the builder says which and nothing is sent', async () => {
    const customer = await api.login('ed-cust-2');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'ed-e2');
    await advanceOrder(api, order.id, e, customer, 'arrived');
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已上门'));
    page.instance.onAddItem();
    page.instance.onItemInput(input('电线', { index: 0, field: 'name' }));
    page.instance.onItemInput(input('12.345', { index: 0, field: 'unitPrice' }));
    page.instance.onLabourInput(input('50'));
    const sent = bridge.requests.length;
    await page.instance.onSubmitQuote();
    await eventually(() => expect(page.querySelector('.quote-error')?.dom.textContent).toBe('第 1 项单价不正确'));
    expect(bridge.requests.slice(sent).filter((r) => r.url.endsWith('/quote'))).toEqual([]);
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('arrived');
  });

  it('when the electrician releases the order with a reason, then it goes back to the hall and the page closes', async () => {
    const customer = await api.login('ed-cust-3');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'ed-e3');
    await advanceOrder(api, order.id, e, customer, 'accepted');
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.release-toggle')).toBeTruthy());
    page.instance.onStartRelease();
    await eventually(() => expect(text(page)).toContain('临时有事无法上门'));
    await page.instance.onRelease({ currentTarget: { dataset: { index: 0 } } });
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateBack', url: '' });
    const [row] = await api.rows('orders', { id: order.id });
    expect([row.status, row.electrician_id]).toEqual(['pending', null]);
    const events = await api.rows('order_events', { order_id: order.id });
    expect(events.at(-1)).toMatchObject({ action: 'release' });
  });

  it('when the order has no quote or repair record yet, then those sections are empty and the builder starts at ¥0.00', async () => {
    const customer = await api.login('ed-cust-4');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'ed-e4');
    await advanceOrder(api, order.id, e, customer, 'arrived');
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已上门'));
    const fees = (page.querySelector('.fees')?.dom.textContent ?? '').replace(/\s+/g, '');
    expect(fees).toContain('上门费');
    expect(fees).toContain('预估');
    expect(fees).not.toContain('人工费');
    expect(fees).not.toContain('报价');
    expect(page.querySelector('.repair')).toBeFalsy();
    expect(page.querySelector('.quote-row')).toBeFalsy();
    expect(page.querySelector('.quote-total')?.dom.textContent).toBe('¥0.00');
  });

  it('when the order does not exist or the network fails, then the error and retry are shown', async () => {
    await electricianPhone(api, bridge, 'ed-e5');
    const missing = await openPage(DETAIL, { id: '999999' });
    await eventually(() => expect(missing.querySelector('.load-error')).toBeTruthy());
    const notFound = await api.call('GET', '/api/orders/999999', bridge.current().storage.get('session.token') as string);
    expect(missing.querySelector('.load-error')?.dom.textContent).toContain(notFound.body.error!.message);

    const customer = await api.login('ed-cust-5');
    const order = await placeOrder(api, customer);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('待接单'));
  });

  it('when a pending order is opened before it is mine, then it is masked and grabbing it here shows the full order', async () => {
    const customer = await api.login('ed-cust-6');
    const order = await placeOrder(api, customer, { description: '卫生间浴霸不工作' });
    await electricianPhone(api, bridge, 'ed-e6');
    const page = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(page.querySelector('.masked')?.dom.textContent).toContain('王** 139****9000'));
    expect(text(page)).not.toContain('文三路');
    expect(page.querySelector('.customer')).toBeFalsy();

    await page.instance.onGrab();
    await eventually(() => expect(page.querySelector('.status')?.dom.textContent).toBe('已接单'));
    expect(page.querySelector('.customer')?.dom.textContent).toContain('13900139000');
    expect(page.querySelector('.masked')).toBeFalsy();
  });
});
