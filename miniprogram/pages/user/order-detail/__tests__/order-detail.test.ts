// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, pageRealtime, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveSession } from '../../../../test/live';
import { NETWORK_FAILURE, renderPage, settle } from '../../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  pageRealtime().disconnect();
  vi.restoreAllMocks();
});

async function open(customer: { name: string; session: LiveSession }, id: number) {
  const bridge = bridgeWx(api);
  const device = bridge.device(customer.name);
  await device.signIn(customer.session);
  bridge.use(device);
  const page = renderPage('pages/user/order-detail/order-detail');
  page.instance.onLoad({ id: String(id) });
  page.instance.onShow();
  return { bridge, page };
}

async function customer(name: string) {
  return { name, session: await api.login(name) };
}

const text = (page: ReturnType<typeof renderPage>, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';

describe('订单详情', () => {
  it('when the order is quoted, then the electrician, quote items and timeline show, and accepting starts the repair', async () => {
    const c = await customer('quoted');
    const e = await api.loginAsElectrician('quoted-e');
    const order = await placeOrder(api, c.session);
    await advanceOrder(api, order.id, e, c.session, 'quoted');
    const { page } = await open(c, order.id);
    await eventually(() => expect(text(page, '.order-status')).toBe('待确认报价'));
    expect(text(page, '.electrician')).toContain('师傅');
    expect(text(page, '.quote')).toContain('空气开关 × 1');
    expect(text(page, '.quote')).toContain('¥45.00');
    expect(text(page, '.quote')).toContain('人工费¥80.00');
    expect(text(page, '.quote').replace(/\s+/g, '')).toContain('合计¥125.00');
    const timeline = text(page, '.timeline');
    for (const step of ['提交订单', '电工已接单', '电工已上门', '电工已报价']) expect(timeline).toContain(step);
    expect(text(page, '.cancel-rule')).toContain('现在取消需支付上门费');

    page.instance.onAcceptQuote();
    await eventually(() => expect(text(page, '.order-status')).toBe('维修中'));
    const [row] = await api.rows('orders', { id: order.id });
    expect(row.status).toBe('in_progress');
    expect((await api.rows('order_events', { order_id: order.id })).map((ev) => ev.action)).toContain('quote_accept');
    expect(page.querySelector('.cancel')).toBeFalsy();
  });

  it('when the electrician asks for parts and the storekeeper approves them, then the customer’s timeline says so in words', async () => {
    const c = await customer('parts-timeline');
    const e = await api.loginAsElectrician('parts-timeline-e');
    const order = await placeOrder(api, c.session);
    await advanceOrder(api, order.id, e, c.session, 'arrived');
    const admin = await api.loginAsAdmin();
    const item = await api.call<{ id: number }>('POST', '/api/admin/catalog/items', admin.token, {
      code: 'M-TIMELINE',
      name: '漏电保护器 2P 40A',
      category: 'material',
      unit: '个',
      standardPrice: 12000,
      maxPrice: 18000,
      faultTypes: ['circuit'],
    });
    const warehouse = await api.call<{ id: number }>('POST', '/api/admin/warehouses', admin.token, { name: '时间线仓' });
    await api.call('POST', '/api/admin/stock/movements', admin.token, {
      warehouseId: warehouse.body.data.id,
      catalogItemId: item.body.data.id,
      type: 'in',
      quantity: 3,
      note: '采购入库',
    });
    const asked = await api.call<{ id: number }>('POST', `/api/orders/${order.id}/parts-requests`, e.token, {
      warehouseId: warehouse.body.data.id,
      items: [{ catalogItemId: item.body.data.id, quantity: 1 }],
    });
    expect((await api.call('POST', `/api/admin/parts-requests/${asked.body.data.id}/approve`, admin.token, {})).status).toBe(200);

    const { page } = await open(c, order.id);
    await eventually(() => expect(text(page, '.timeline')).toContain('配件申请已批准'));
    expect(text(page, '.timeline')).toContain('电工申请了维修配件');
    expect(text(page, '.timeline')).not.toContain('parts_');
  });

  it('when the customer rejects the quote, then the order goes back to arrived', async () => {
    const c = await customer('reject');
    const e = await api.loginAsElectrician('reject-e');
    const order = await placeOrder(api, c.session);
    await advanceOrder(api, order.id, e, c.session, 'quoted');
    const { page } = await open(c, order.id);
    await eventually(() => expect(page.querySelector('.reject-quote')).toBeTruthy());
    page.instance.onRejectQuote();
    await eventually(() => expect(text(page, '.order-status')).toBe('已上门'));
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('arrived');
    expect(text(page, '.timeline')).toContain('你已拒绝报价');
  });

  it('when a pending order is cancelled, then the free-cancel rule shows first and the order is cancelled', async () => {
    const c = await customer('cancel');
    const order = await placeOrder(api, c.session);
    const { page } = await open(c, order.id);
    await eventually(() => expect(text(page, '.cancel-rule')).toContain('电工上门前取消免费'));
    page.instance.onCancel();
    await eventually(() => expect(text(page, '.order-status')).toBe('已取消'));
    const [row] = await api.rows('orders', { id: order.id });
    expect(row.status).toBe('cancelled');
    expect(Number(row.final_amount ?? 0)).toBe(0);
    expect(page.querySelector('.pay')).toBeFalsy();
  });

  it('when an electrician grabs the open order, then the page updates live from the order-status-update push', async () => {
    const c = await customer('live');
    const e = await api.loginAsElectrician('live-e');
    const order = await placeOrder(api, c.session);
    const { bridge, page } = await open(c, order.id);
    await eventually(() => expect(text(page, '.order-status')).toBe('待接单'));
    await eventually(() => expect(pageRealtime().status()).toBe('connected'));
    const before = bridge.requests.length;
    await api.call('POST', `/api/orders/${order.id}/grab`, e.token);
    await eventually(() => expect(text(page, '.order-status')).toBe('已接单'));
    expect(bridge.requests.length).toBeGreaterThan(before);
    expect(text(page, '.electrician')).toContain('师傅');

    // The conversation opens after the grab commits (domain bus).
    await eventually(async () => expect(await api.rows('conversations', { order_id: order.id })).toHaveLength(1));
    await page.instance.onChat();
    await eventually(() =>
      expect(bridge.navigations.at(-1)?.url).toMatch(/^\/pages\/common\/chat\/chat\?conversationId=\d+&orderId=/),
    );
  });

  it('when the order is completed and paid, then review and after-sales are offered, and a review replaces the offer', async () => {
    const c = await customer('done');
    const e = await api.loginAsElectrician('done-e');
    const order = await placeOrder(api, c.session);
    await advanceOrder(api, order.id, e, c.session, 'paid');
    const { bridge, page } = await open(c, order.id);
    await eventually(() => expect(page.querySelector('.review')).toBeTruthy());
    expect(text(page, '.repair')).toContain('更换了损坏的空气开关');
    expect(text(page, '.timeline')).toContain('支付成功');
    page.instance.onReview();
    page.instance.onComplain();
    expect(bridge.navigations.slice(-2)).toEqual([
      { api: 'navigateTo', url: `/pages/user/evaluate/evaluate?orderId=${order.id}` },
      { api: 'navigateTo', url: `/pages/user/complaint/complaint?orderId=${order.id}` },
    ]);
    await api.call('POST', `/api/orders/${order.id}/review`, c.session.token, {
      serviceRating: 5,
      qualityRating: 4,
      speedRating: 5,
      content: '很专业',
    });
    page.instance.onShow();
    await eventually(() => expect(text(page, '.my-review')).toContain('很专业'));
    expect(page.querySelector('.review')).toBeFalsy();
  });

  it('when the order belongs to someone else or cannot be loaded, then the error state shows with a retry', async () => {
    const owner = await api.login('owner');
    const order = await placeOrder(api, owner);
    const other = await customer('other');
    const { bridge, page } = await open(other, order.id);
    await eventually(() => expect(page.querySelector('.load-error')).toBeTruthy());
    const forbidden = text(page, '.load-error');
    expect(forbidden).toMatch(/不存在|无权/);
    expect(page.querySelector('.order-status')).toBeFalsy();

    bridge.intercept = () => NETWORK_FAILURE;
    await page.instance.load();
    await settle(1);
    expect(text(page, '.load-error')).toContain('网络异常，请稍后重试');
  });
});
