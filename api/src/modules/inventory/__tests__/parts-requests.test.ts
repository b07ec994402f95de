import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginAsElectrician, type TestApp } from '../../../../test/harness';
import { uploadImage } from '../../orders/__tests__/order-helpers';
import { completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { reconcileStock } from '../reconcile';
import { createStockRepository } from '../stock.repository';
import { balanceOf, createItem, inventoryCounts, inventoryWorld, requestParts, stockIn } from './inventory-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const titles = async (userId: number) =>
  (await t.db('notifications').where({ user_id: userId }).orderBy('id')).map((n: { title: string }) => n.title);
const timeline = async (orderId: number) =>
  (await t.db('order_events').where({ order_id: orderId }).orderBy('id'))
    .map((e: { action: string }) => e.action)
    .filter((a: string) => a.startsWith('parts_'));
const consistent = async () => expect((await reconcileStock(createStockRepository(t.db))).mismatches).toEqual([]);

describe('parts requests', () => {
  it('when the electrician asks, staff approve and issue, and the electrician settles, then stock is reserved, issued and the unused rest returned, each step notified to the other side and on the order timeline', async () => {
    const w = await inventoryWorld(t, 'pr-flow');
    const socket = await createItem(t, w.keeper, { name: '五孔插座' });
    const wire = await createItem(t, w.keeper, { name: 'BV 2.5 mm² 铜芯线', unit: '米' });
    await stockIn(t, w.keeper, w.warehouse.id, socket.id, 10);
    await stockIn(t, w.keeper, w.warehouse.id, wire.id, 100);

    const created = await requestParts(t, w.electrician, w.orderId, {
      warehouseId: w.warehouse.id,
      items: [
        { catalogItemId: socket.id, quantity: 2 },
        { catalogItemId: wire.id, quantity: 15 },
      ],
      note: '客厅插座两处',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      orderId: w.orderId,
      status: 'pending',
      warehouseName: w.warehouse.name,
      note: '客厅插座两处',
      items: [
        { catalogItemId: socket.id, name: '五孔插座', unit: '个', quantity: 2, used: null },
        { catalogItemId: wire.id, name: 'BV 2.5 mm² 铜芯线', unit: '米', quantity: 15, used: null },
      ],
    });
    const id = created.body.data.id as number;

    const approved = await t.http.post(`/api/admin/parts-requests/${id}/approve`).set(w.keeper.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    expect(await balanceOf(t, w.warehouse.id, socket.id)).toEqual({ onHand: 10, reserved: 2 });
    expect(await balanceOf(t, w.warehouse.id, wire.id)).toEqual({ onHand: 100, reserved: 15 });

    const issued = await t.http.post(`/api/admin/parts-requests/${id}/issue`).set(w.keeper.auth);
    expect(issued.body.data.status).toBe('issued');
    expect(await balanceOf(t, w.warehouse.id, wire.id)).toEqual({ onHand: 85, reserved: 0 });

    const settled = await t.http
      .post(`/api/parts-requests/${id}/settle`)
      .set(w.electrician.auth)
      .send({
        items: [
          { catalogItemId: socket.id, used: 2 },
          { catalogItemId: wire.id, used: 9 },
        ],
      });
    expect(settled.status).toBe(200);
    expect(settled.body.data).toMatchObject({ status: 'settled', items: [{ used: 2 }, { used: 9 }] });
    expect(await balanceOf(t, w.warehouse.id, socket.id)).toEqual({ onHand: 8, reserved: 0 });
    expect(await balanceOf(t, w.warehouse.id, wire.id)).toEqual({ onHand: 91, reserved: 0 });
    const ledger = await t.http.get('/api/admin/stock/movements').set(w.keeper.auth).query({ partsRequestId: id, limit: 20 });
    expect(ledger.body.data.map((m: { type: string; quantity: number }) => `${m.type}:${m.quantity}`).sort()).toEqual(
      ['issue:15', 'issue:2', 'reserve:15', 'reserve:2', 'return:6'].sort(),
    );
    await consistent();

    await t.c.bus.drain();
    expect(await titles(w.electrician.userId)).toEqual(expect.arrayContaining(['配件申请已批准', '配件已出库']));
    expect(await titles(w.keeper.userId)).toEqual(expect.arrayContaining(['新的配件申请', '配件用量已登记']));
    expect(await timeline(w.orderId)).toEqual(['parts_requested', 'parts_approved', 'parts_issued', 'parts_settled']);
    const events = await t.http.get(`/api/orders/${w.orderId}/events`).set(w.electrician.auth);
    const settledEvent = (events.body.data as { action: string; details: Record<string, unknown> }[]).find(
      (e) => e.action === 'parts_settled',
    )!;
    expect(settledEvent.details).toMatchObject({
      partsRequestId: id,
      items: [
        { name: '五孔插座', quantity: 2, used: 2 },
        { quantity: 15, used: 9 },
      ],
    });

    const listed = await t.http.get(`/api/orders/${w.orderId}/parts-requests`).set(w.electrician.auth);
    expect(listed.body.data.map((r: { id: number }) => r.id)).toEqual([id]);
    const queue = await t.http.get('/api/admin/parts-requests').set(w.keeper.auth).query({ orderId: w.orderId });
    expect(queue.body.data[0]).toMatchObject({ id, orderNo: expect.stringMatching(/^E/), status: 'settled' });
  });

  it('when an approval finds any line short, then 409 INSUFFICIENT_STOCK and nothing is reserved; a rejection and a cancellation close requests, an approved one releasing its reservation', async () => {
    const w = await inventoryWorld(t, 'pr-short');
    const a = await createItem(t, w.keeper);
    const b = await createItem(t, w.keeper);
    await stockIn(t, w.keeper, w.warehouse.id, a.id, 5);
    await stockIn(t, w.keeper, w.warehouse.id, b.id, 1);
    const ask = async (items: { catalogItemId: number; quantity: number }[]) =>
      (await requestParts(t, w.electrician, w.orderId, { warehouseId: w.warehouse.id, items })).body.data.id as number;

    const short = await ask([
      { catalogItemId: a.id, quantity: 3 },
      { catalogItemId: b.id, quantity: 2 },
    ]);
    const before = await inventoryCounts(t);
    const refused = await t.http.post(`/api/admin/parts-requests/${short}/approve`).set(w.keeper.auth);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('INSUFFICIENT_STOCK');
    expect(await inventoryCounts(t)).toEqual(before);
    expect((await t.db('parts_requests').where({ id: short }).first()).status).toBe('pending');

    const rejected = await t.http
      .post(`/api/admin/parts-requests/${short}/reject`)
      .set(w.keeper.auth)
      .send({ reason: '库存不足，请改用其他型号' });
    expect(rejected.body.data).toMatchObject({ status: 'rejected', reason: '库存不足，请改用其他型号' });
    expect((await t.http.post(`/api/admin/parts-requests/${short}/approve`).set(w.keeper.auth)).status).toBe(409);

    const ok = await ask([{ catalogItemId: a.id, quantity: 4 }]);
    await t.http.post(`/api/admin/parts-requests/${ok}/approve`).set(w.keeper.auth);
    expect(await balanceOf(t, w.warehouse.id, a.id)).toEqual({ onHand: 5, reserved: 4 });
    const cancelled = await t.http.post(`/api/parts-requests/${ok}/cancel`).set(w.electrician.auth).send({});
    expect(cancelled.body.data.status).toBe('cancelled');
    expect(await balanceOf(t, w.warehouse.id, a.id)).toEqual({ onHand: 5, reserved: 0 });
    expect((await t.http.post(`/api/parts-requests/${ok}/cancel`).set(w.electrician.auth).send({})).status).toBe(409);
    // Settling is for issued requests only; issuing for approved ones only.
    expect((await t.http.post(`/api/admin/parts-requests/${ok}/issue`).set(w.keeper.auth)).status).toBe(409);
    await consistent();
    await t.c.bus.drain();
    expect(await titles(w.electrician.userId)).toEqual(expect.arrayContaining(['配件申请被驳回', '配件申请已批准']));
    expect(await titles(w.keeper.userId)).toEqual(expect.arrayContaining(['配件申请已取消']));
  });

  it('when the order is cancelled or taken back from its electrician, then its open requests are cancelled and approved reservations released; issued parts still wait for settling', async () => {
    const w = await inventoryWorld(t, 'pr-release');
    const item = await createItem(t, w.keeper);
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 10);
    const ask = async (quantity: number) =>
      (
        await requestParts(t, w.electrician, w.orderId, {
          warehouseId: w.warehouse.id,
          items: [{ catalogItemId: item.id, quantity }],
        })
      ).body.data.id as number;
    const pending = await ask(1);
    const approved = await ask(2);
    const issued = await ask(3);
    await t.http.post(`/api/admin/parts-requests/${approved}/approve`).set(w.keeper.auth);
    await t.http.post(`/api/admin/parts-requests/${issued}/approve`).set(w.keeper.auth);
    await t.http.post(`/api/admin/parts-requests/${issued}/issue`).set(w.keeper.auth);
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 7, reserved: 2 });

    const released = await t.http
      .post(`/api/orders/${w.orderId}/release`)
      .set(w.electrician.auth)
      .send({ reason: '临时有事，无法上门' });
    expect(released.status).toBe(200);
    await t.c.bus.drain();
    const statuses = async () =>
      Object.fromEntries(
        (await t.db('parts_requests').where({ order_id: w.orderId })).map((r: { id: number; status: string }) => [
          r.id,
          r.status,
        ]),
      );
    expect(await statuses()).toEqual({ [pending]: 'cancelled', [approved]: 'cancelled', [issued]: 'issued' });
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(await titles(w.electrician.userId)).toEqual(expect.arrayContaining(['配件申请已取消']));

    // The electrician who no longer holds the order still sees and settles their issued parts.
    const mine = await t.http.get(`/api/orders/${w.orderId}/parts-requests`).set(w.electrician.auth);
    expect(mine.body.data.map((r: { id: number }) => r.id)).toEqual([pending, approved, issued]);
    const settle = await t.http
      .post(`/api/parts-requests/${issued}/settle`)
      .set(w.electrician.auth)
      .send({ items: [{ catalogItemId: item.id, used: 0 }] });
    expect(settle.status).toBe(200);
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 10, reserved: 0 });

    // Another electrician takes the order, asks, is approved; the customer cancels: released again.
    const next = await loginAsElectrician(t, 'pr-release-e2');
    expect((await t.http.post(`/api/orders/${w.orderId}/grab`).set(next.auth)).status).toBe(200);
    const again = await requestParts(t, next, w.orderId, {
      warehouseId: w.warehouse.id,
      items: [{ catalogItemId: item.id, quantity: 5 }],
    });
    await t.http.post(`/api/admin/parts-requests/${again.body.data.id}/approve`).set(w.keeper.auth);
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 10, reserved: 5 });
    expect((await t.http.post(`/api/orders/${w.orderId}/cancel`).set(w.customer.auth).send({ reason: '不需要了' })).status).toBe(
      200,
    );
    await t.c.bus.drain();
    expect((await t.db('parts_requests').where({ id: again.body.data.id }).first()).status).toBe('cancelled');
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 10, reserved: 0 });
    await consistent();
  });

  it('when the order is completed while a request is pending, then approving it is refused with 409 and nothing is reserved', async () => {
    const w = await inventoryWorld(t, 'pr-done');
    const item = await createItem(t, w.keeper);
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 5);
    const asked = await requestParts(t, w.electrician, w.orderId, {
      warehouseId: w.warehouse.id,
      items: [{ catalogItemId: item.id, quantity: 2 }],
    });
    const step = async (path: string, s: typeof w.customer, body: object = {}) => {
      const res = await t.http.post(`/api/orders/${w.orderId}/${path}`).set(s.auth).send(body);
      if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await step('arrive', w.electrician, { latitude: 30.2613, longitude: 120.1334 });
    await step('quote', w.electrician, { items: [], labourFee: 5000 });
    await step('quote/accept', w.customer);
    const photo = await uploadImage(t, w.electrician, 'repair');
    await step('complete', w.electrician, { repairContent: '更换插座，检查线路绝缘正常', repairImages: [photo] });
    const before = await inventoryCounts(t);

    const approve = await t.http.post(`/api/admin/parts-requests/${asked.body.data.id}/approve`).set(w.keeper.auth);
    expect([approve.status, approve.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(await inventoryCounts(t)).toEqual(before);
    expect((await t.db('parts_requests').where({ id: asked.body.data.id }).first()).status).toBe('pending');
    // The electrician may still withdraw it.
    expect((await t.http.post(`/api/parts-requests/${asked.body.data.id}/cancel`).set(w.electrician.auth).send({})).status).toBe(
      200,
    );
  });

  it('when the order is cancelled between the request reading it and committing, then the request is released at once (the order’s own release ran too early to see it)', async () => {
    const w = await inventoryWorld(t, 'pr-late');
    const item = await createItem(t, w.keeper);
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 5);
    const repo = t.c.ordersRepository;
    const real = repo.findById.bind(repo);
    const stale = await real(w.orderId);
    expect((await t.http.post(`/api/orders/${w.orderId}/cancel`).set(w.customer.auth).send({ reason: '不需要了' })).status).toBe(
      200,
    );
    await t.c.bus.drain();
    // The request's transaction reads the order as it was before the cancel.
    const spy = vi
      .spyOn(repo, 'findById')
      .mockImplementation(async (id, trx) => (trx && id === w.orderId ? stale : real(id, trx)));
    try {
      const res = await requestParts(t, w.electrician, w.orderId, {
        warehouseId: w.warehouse.id,
        items: [{ catalogItemId: item.id, quantity: 1 }],
      });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ status: 'cancelled', reason: '工单已取消或已改派' });
    } finally {
      spy.mockRestore();
    }
    expect(await t.db('parts_requests').where({ order_id: w.orderId, status: 'pending' })).toEqual([]);
  });

  it('when the input is bad or the caller may not ask, then a clear 4xx and nothing is written', async () => {
    const w = await inventoryWorld(t, 'pr-bad');
    const item = await createItem(t, w.keeper);
    const retired = await createItem(t, w.keeper);
    await t.http.patch(`/api/admin/catalog/items/${retired.id}`).set(w.keeper.auth).send({ active: false });
    const labour = await createItem(t, w.keeper, { category: 'labour', name: '更换插座' });
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 10);
    const body = (items: object[], extra: object = {}) => ({ warehouseId: w.warehouse.id, items, ...extra });
    const line = (quantity: unknown, catalogItemId = item.id) => ({ catalogItemId, quantity });
    const before = await inventoryCounts(t);

    const cases: [object, number, string][] = [
      [body([line(0)]), 400, 'VALIDATION_FAILED'],
      [body([line(-2)]), 400, 'VALIDATION_FAILED'],
      [body([line(1.5)]), 400, 'VALIDATION_FAILED'],
      [body([line('2')]), 400, 'VALIDATION_FAILED'],
      [body([]), 400, 'VALIDATION_FAILED'],
      [body([line(1), line(2)]), 400, 'VALIDATION_FAILED'],
      [body([line(1)], { warehouseId: 999999 }), 400, 'WAREHOUSE_UNAVAILABLE'],
      [body([line(1, 999999)]), 400, 'CATALOG_ITEM_UNAVAILABLE'],
      [body([line(1, retired.id)]), 400, 'CATALOG_ITEM_UNAVAILABLE'],
      [body([line(1), line(1, labour.id)]), 400, 'CATALOG_ITEM_UNAVAILABLE'],
    ];
    for (const [b, status, code] of cases) {
      const res = await requestParts(t, w.electrician, w.orderId, b);
      expect([res.status, res.body.error?.code], JSON.stringify(b)).toEqual([status, code]);
      expect(res.body.error.details?.length ?? 0, JSON.stringify(b)).toBeGreaterThan(0);
    }
    const labourRes = await requestParts(t, w.electrician, w.orderId, body([line(1), line(1, labour.id)]));
    expect(labourRes.body.error.details).toEqual([
      { path: ['body', 'items', 1, 'catalogItemId'], message: '更换插座 是人工项目，不是配件' },
    ]);

    // Someone else's order (another electrician, the customer, staff); a finished or unknown order.
    const other = await loginAsElectrician(t, 'pr-bad-other');
    expect((await requestParts(t, other, w.orderId, body([line(1)]))).status).toBe(404);
    expect((await requestParts(t, w.customer, w.orderId, body([line(1)]))).status).toBe(404);
    expect((await requestParts(t, w.keeper, w.orderId, body([line(1)]))).status).toBe(403);
    expect((await requestParts(t, w.electrician, 999999, body([line(1)]))).status).toBe(404);
    const done = await completeOrderBetween(t, w.customer, other);
    const finished = await requestParts(t, other, done.orderId, body([line(1)]));
    expect([finished.status, finished.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect({ ...(await inventoryCounts(t)), orderEvents: 0 }).toEqual({ ...before, orderEvents: 0 });

    // Settling: someone else's request, more than issued, a line left out or not in the request.
    const ok = await requestParts(t, w.electrician, w.orderId, body([line(3)]));
    const id = ok.body.data.id as number;
    await t.http.post(`/api/admin/parts-requests/${id}/approve`).set(w.keeper.auth);
    await t.http.post(`/api/admin/parts-requests/${id}/issue`).set(w.keeper.auth);
    const mid = await inventoryCounts(t);
    const settle = (s: typeof other, items: object[]) =>
      t.http.post(`/api/parts-requests/${id}/settle`).set(s.auth).send({ items });
    expect((await settle(other, [{ catalogItemId: item.id, used: 1 }])).status).toBe(404);
    expect((await settle(w.electrician, [{ catalogItemId: item.id, used: 4 }])).status).toBe(400);
    expect((await settle(w.electrician, [{ catalogItemId: item.id, used: -1 }])).status).toBe(400);
    expect((await settle(w.electrician, [{ catalogItemId: item.id, used: 0.5 }])).status).toBe(400);
    expect((await settle(w.electrician, [{ catalogItemId: labour.id, used: 0 }])).status).toBe(400);
    expect((await t.http.post(`/api/parts-requests/${id}/cancel`).set(w.electrician.auth).send({})).status).toBe(409);
    expect((await t.http.post(`/api/parts-requests/${id}/cancel`).set(other.auth).send({})).status).toBe(404);
    expect((await t.http.get(`/api/orders/${w.orderId}/parts-requests`).set(other.auth)).status).toBe(404);
    expect((await t.http.get(`/api/orders/${w.orderId}/parts-requests`).set(w.customer.auth)).status).toBe(404);
    expect(await inventoryCounts(t)).toEqual(mid);
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 7, reserved: 0 });
  });
});
