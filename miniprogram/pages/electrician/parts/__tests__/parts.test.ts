// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { advanceOrder, placeOrder, SITE } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../../test/live';
import { settle } from '../../../../test/setup';
import { electricianPhone, locateAt, openPage, useLiveBridge } from '../../__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge((started, phones) => {
  api = started;
  bridge = phones;
  locateAt(SITE);
});

const DETAIL = 'pages/electrician/order-detail/order-detail';
const PARTS = 'pages/electrician/parts/parts';

/** A material on the price list, a warehouse holding `units` of it, through the console's API. */
async function stockedPart(units: number) {
  const admin = await api.loginAsAdmin();
  const item = await api.call<{ id: number }>('POST', '/api/admin/catalog/items', admin.token, {
    code: `M-SOCKET-${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
    name: '五孔插座（86 型）',
    category: 'material',
    unit: '个',
    standardPrice: 1800,
    maxPrice: 2800,
    faultTypes: ['circuit'],
  });
  const warehouse = await api.call<{ id: number }>('POST', '/api/admin/warehouses', admin.token, {
    name: `西湖中心仓-${item.body.data.id}`,
    address: '杭州市西湖区文三路 100 号',
  });
  const moved = await api.call('POST', '/api/admin/stock/movements', admin.token, {
    warehouseId: warehouse.body.data.id,
    catalogItemId: item.body.data.id,
    type: 'in',
    quantity: units,
    note: '采购入库',
  });
  expect(moved.status).toBe(201);
  return { admin, itemId: item.body.data.id, warehouseId: warehouse.body.data.id };
}

/** The text of an element of a page (or '' when it is not there). */
const text = (el: { dom: { textContent: string | null } } | null | undefined) => el?.dom.textContent ?? '';

/** On hand and reserved of one part in one warehouse, as the console's stock page reads them. */
async function balance(warehouseId: number, itemId: number) {
  const admin = await api.loginAsAdmin();
  const res = await api.call<{ catalogItemId: number; onHand: number; reserved: number }[]>(
    'GET',
    `/api/admin/stock?warehouseId=${warehouseId}`,
    admin.token,
  );
  const row = res.body.data.find((b) => b.catalogItemId === itemId)!;
  return { onHand: row.onHand, reserved: row.reserved };
}

describe('电工 · 配件', () => {
  it('when the electrician asks for parts, collects them and records what was used, then the order shows each step and the rest goes back to stock', async () => {
    const { admin, itemId, warehouseId } = await stockedPart(10);
    const customer = await api.login('parts-cust');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'parts-e1');
    await advanceOrder(api, order.id, e, customer, 'arrived');

    const detail = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(detail.querySelector('.parts')).toBeTruthy());
    expect(text(detail.querySelector('.parts'))).toContain('需要材料时向仓库申请');
    detail.querySelector('.ask-parts')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/electrician/parts/parts?orderId=${order.id}` });

    // Ask: nothing chosen is refused on the page; then 2 of the part from the chosen warehouse.
    const ask = await openPage(PARTS, { orderId: String(order.id) });
    await eventually(() => expect(ask.querySelectorAll('.part').length).toBeGreaterThan(0));
    const sent = bridge.requests.length;
    await ask.instance.onSubmit();
    expect(ask.querySelector('.submit-error')?.dom.textContent).toBe('请至少选择一种配件');
    expect(bridge.requests.slice(sent).filter((r) => r.method === 'POST')).toEqual([]);
    const warehouse = ask.querySelectorAll('.warehouse').find((w) => w.dom.textContent?.includes(`西湖中心仓-${itemId}`))!;
    warehouse.dispatchEvent('tap');
    await settle(1);
    const part = ask.querySelectorAll('.part').findIndex((p) => p.dom.textContent?.includes('五孔插座'));
    // Every row has a + (the rows' indexes); a − shows once something is chosen, here on this row only.
    expect(ask.querySelector('.less')).toBeFalsy();
    for (let i = 0; i < 3; i++) ask.querySelectorAll('.more')[part].dispatchEvent('tap');
    await settle(1);
    expect(ask.querySelectorAll('.less')).toHaveLength(1);
    ask.querySelector('.less')!.dispatchEvent('tap');
    await settle(1);
    expect(ask.querySelector('.submit')?.dom.textContent?.trim()).toBe('提交申请（2 件）');
    ask.instance.onNoteInput({ detail: { value: '插座烧坏两个' } });
    await ask.instance.onSubmit();
    await eventually(() => expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateBack', url: '' }));
    const [asked] = await api.rows('parts_requests', { order_id: order.id });
    expect(asked).toMatchObject({ status: 'pending', warehouse_id: warehouseId, note: '插座烧坏两个' });

    detail.instance.onShow();
    await eventually(() => expect(text(detail.querySelector('.parts'))).toContain('待审批'));
    expect(text(detail.querySelector('.parts-request'))).toContain('五孔插座（86 型） ×2个');

    // The storekeeper approves and issues them; the order offers to record what was used.
    const id = Number(asked!.id);
    expect((await api.call('POST', `/api/admin/parts-requests/${id}/approve`, admin.token, {})).status).toBe(200);
    expect((await api.call('POST', `/api/admin/parts-requests/${id}/issue`, admin.token, {})).status).toBe(200);
    expect(await balance(warehouseId, itemId)).toEqual({ onHand: 8, reserved: 0 });
    detail.instance.onShow();
    await eventually(() => expect(text(detail.querySelector('.parts'))).toContain('已领取，待登记用量'));
    detail.querySelector('.settle-parts')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/electrician/parts/parts?orderId=${order.id}&requestId=${id}`,
    });

    // Settle: it starts at what was issued; one was left over and goes back.
    const used = await openPage(PARTS, { orderId: String(order.id), requestId: String(id) });
    await eventually(() => expect(used.querySelector('.part')).toBeTruthy());
    expect(text(used.querySelector('.part'))).toContain('领取 2 个');
    // At what was issued there is no + (more cannot have been used); one less brings it back.
    expect(used.querySelector('.more')).toBeFalsy();
    used.querySelector('.less')!.dispatchEvent('tap');
    await settle(1);
    expect(used.querySelector('.stepper__count')?.dom.textContent).toBe('1');
    expect(used.querySelector('.more')).toBeTruthy();
    await used.instance.onSubmit();
    await eventually(() => expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateBack', url: '' }));
    expect((await api.rows('parts_requests', { id }))[0]).toMatchObject({ status: 'settled' });
    expect(await balance(warehouseId, itemId)).toEqual({ onHand: 9, reserved: 0 });
    detail.instance.onShow();
    await eventually(() => expect(text(detail.querySelector('.parts'))).toContain('已登记用量'));
    expect(text(detail.querySelector('.parts-request'))).toContain('（用 1）');
  });

  it('when a pending request is withdrawn, then it shows as withdrawn and nothing stays reserved', async () => {
    const { itemId, warehouseId } = await stockedPart(5);
    const customer = await api.login('parts-cust-2');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'parts-e2');
    await advanceOrder(api, order.id, e, customer, 'accepted');
    const made = await api.call('POST', `/api/orders/${order.id}/parts-requests`, e.token, {
      warehouseId,
      items: [{ catalogItemId: itemId, quantity: 1 }],
    });
    expect(made.status).toBe(201);

    const detail = await openPage(DETAIL, { id: String(order.id) });
    await eventually(() => expect(detail.querySelector('.cancel-parts')).toBeTruthy());
    detail.querySelector('.cancel-parts')!.dispatchEvent('tap');
    await eventually(() => expect(text(detail.querySelector('.parts'))).toContain('已撤回'));
    expect(detail.querySelector('.cancel-parts')).toBeFalsy();
    expect(await balance(warehouseId, itemId)).toEqual({ onHand: 5, reserved: 0 });
  });

  it('when the request cannot be read, then the page says so and offers a retry', async () => {
    const page = await openPage(PARTS, { orderId: '999999', requestId: '1' });
    await eventually(() => expect(page.querySelector('.load-error')).toBeTruthy());
  });
});
