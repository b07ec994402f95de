import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { reconcileStock } from '../reconcile';
import { createStockRepository } from '../stock.repository';
import { balanceOf, createItem, inventoryWorld, requestParts, stockIn } from './inventory-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('stock under concurrent approvals', () => {
  it('when 20 requests for the last 5 units are approved at once, then exactly 5 succeed, the rest answer 409 INSUFFICIENT_STOCK and stay pending, and the ledger agrees with the balance', async () => {
    const w = await inventoryWorld(t, 'pr-race');
    const item = await createItem(t, w.keeper, { name: '漏电保护器 2P 40A', safetyStock: 2 });
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 5);
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await requestParts(t, w.electrician, w.orderId, {
        warehouseId: w.warehouse.id,
        items: [{ catalogItemId: item.id, quantity: 1 }],
      });
      ids.push(res.body.data.id as number);
    }

    const answers = await Promise.all(ids.map((id) => t.http.post(`/api/admin/parts-requests/${id}/approve`).set(w.keeper.auth)));

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error.code))).toEqual(
      new Set(['INSUFFICIENT_STOCK']),
    );
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 5, reserved: 5 });
    const rows = await t.db('parts_requests').whereIn('id', ids);
    expect(rows.filter((r: { status: string }) => r.status === 'approved')).toHaveLength(5);
    expect(rows.filter((r: { status: string }) => r.status === 'pending')).toHaveLength(15);
    expect(await t.db('stock_movements').where({ catalog_item_id: item.id, type: 'reserve' })).toHaveLength(5);
    expect(await reconcileStock(createStockRepository(t.db))).toMatchObject({ consistent: true });
    // The fall below the safety stock was told once.
    await t.c.bus.drain();
    expect(await t.db('notifications').where({ user_id: w.keeper.userId, title: '库存不足' })).toHaveLength(1);
  }, 60_000);

  it('when 20 first stock-ins of a new balance and then 20 write-offs of one unit against 5 units arrive at once, then every stock-in lands, exactly 5 write-offs do, and on hand never goes below zero', async () => {
    const w = await inventoryWorld(t, 'stock-race');
    const item = await createItem(t, w.keeper);
    const move = (type: string, quantity: number) =>
      t.http
        .post('/api/admin/stock/movements')
        .set(w.keeper.auth)
        .send({ warehouseId: w.warehouse.id, catalogItemId: item.id, type, quantity, note: '并发' });

    const ins = await Promise.all(Array.from({ length: 20 }, () => move('in', 1)));
    expect(ins.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 20, reserved: 0 });
    await move('adjust', -15);

    const outs = await Promise.all(Array.from({ length: 20 }, () => move('adjust', -1)));
    expect(outs.filter((r) => r.status === 201)).toHaveLength(5);
    expect(outs.filter((r) => r.status === 409 && r.body.error.code === 'INSUFFICIENT_STOCK')).toHaveLength(15);
    expect(await balanceOf(t, w.warehouse.id, item.id)).toEqual({ onHand: 0, reserved: 0 });
    expect(await reconcileStock(createStockRepository(t.db))).toMatchObject({ consistent: true });
  }, 60_000);

  it('when multi-line requests naming the same items in opposite orders are approved at once, then each is all or nothing, none fails on a deadlock, and the ledger agrees', async () => {
    const w = await inventoryWorld(t, 'pr-race-2');
    const a = await createItem(t, w.keeper);
    const b = await createItem(t, w.keeper);
    await stockIn(t, w.keeper, w.warehouse.id, a.id, 6);
    await stockIn(t, w.keeper, w.warehouse.id, b.id, 6);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const lines = [
        { catalogItemId: a.id, quantity: 1 },
        { catalogItemId: b.id, quantity: 1 },
      ];
      const res = await requestParts(t, w.electrician, w.orderId, {
        warehouseId: w.warehouse.id,
        items: i % 2 ? lines : lines.reverse(),
      });
      ids.push(res.body.data.id as number);
    }
    const answers = await Promise.all(ids.map((id) => t.http.post(`/api/admin/parts-requests/${id}/approve`).set(w.keeper.auth)));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(6);
    expect(answers.filter((x) => x.status === 409 && x.body.error.code === 'INSUFFICIENT_STOCK')).toHaveLength(4);
    expect(await balanceOf(t, w.warehouse.id, a.id)).toEqual({ onHand: 6, reserved: 6 });
    expect(await balanceOf(t, w.warehouse.id, b.id)).toEqual({ onHand: 6, reserved: 6 });
    expect(await reconcileStock(createStockRepository(t.db))).toMatchObject({ consistent: true });
  }, 60_000);
});
