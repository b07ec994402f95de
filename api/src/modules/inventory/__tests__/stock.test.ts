import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type TestApp } from '../../../../test/harness';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';
import { reconcileStock } from '../reconcile';
import { createStockRepository } from '../stock.repository';
import { balanceOf, createItem, createWarehouse, inventoryCounts, stockIn } from './inventory-helpers';

const ROOT = path.resolve(__dirname, '../../../../..');

let t: TestApp;
let keeper: StaffSession;
beforeAll(async () => {
  t = await createTestApp();
  keeper = await loginAsStaff(t, 'inventory');
});
afterAll(async () => {
  await t?.close();
});

const lowNotices = async (userId: number) => (await t.db('notifications').where({ user_id: userId, title: '库存不足' })).length;

describe('warehouses and stock ledger', () => {
  it('when an electrician picks where to ask for parts, then they see the warehouses by name and address; a customer is refused', async () => {
    const w = await createWarehouse(t, keeper, '城西仓');
    const electrician = await loginAsElectrician(t, 'wh-electrician');
    const res = await t.http.get('/api/warehouses').set(electrician.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toContainEqual(
      expect.objectContaining({ id: w.id, name: '城西仓', address: '西湖区文三路 100 号', active: true }),
    );
    const customer = await login(t, 'wh-customer');
    expect((await t.http.get('/api/warehouses').set(customer.auth)).status).toBe(403);
  });

  it('when stock comes in and is adjusted, then each change is a ledger row with its actor and note, and the balance is what the ledger adds up to', async () => {
    const w = await createWarehouse(t, keeper, '滨江仓');
    expect(w).toMatchObject({ name: '滨江仓', active: true });
    const dup = await t.http.post('/api/admin/warehouses').set(keeper.auth).send({ name: '滨江仓' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('WAREHOUSE_EXISTS');

    const item = await createItem(t, keeper, { name: '空气开关 1P 20A' });
    await stockIn(t, keeper, w.id, item.id, 30);
    const adjusted = await stockIn(t, keeper, w.id, item.id, -4, 'adjust');
    expect(adjusted).toMatchObject({ type: 'adjust', quantity: -4, actorId: keeper.userId, actorRole: 'admin', note: '入库' });

    const stock = await t.http.get('/api/admin/stock').set(keeper.auth).query({ warehouseId: w.id });
    expect(stock.body.data).toEqual([
      {
        warehouseId: w.id,
        catalogItemId: item.id,
        code: item.code,
        name: '空气开关 1P 20A',
        unit: '个',
        onHand: 26,
        reserved: 0,
        available: 26,
        safetyStock: 0,
        low: false,
      },
    ]);
    const ledger = await t.http.get('/api/admin/stock/movements').set(keeper.auth).query({ warehouseId: w.id });
    expect(ledger.body.data.map((m: { type: string; quantity: number }) => [m.type, m.quantity])).toEqual([
      ['adjust', -4],
      ['in', 30],
    ]);
    expect(ledger.body.pagination).toEqual({ page: 1, limit: 10, total: 2 });
    expect(await reconcileStock(createStockRepository(t.db))).toMatchObject({ consistent: true });
  });

  it('when an adjustment would take on hand below zero (or below what is reserved), or the input is bad, then 409/400/404 and nothing is written', async () => {
    const w = await createWarehouse(t, keeper);
    const item = await createItem(t, keeper);
    const labour = await createItem(t, keeper, { category: 'labour', name: '更换插座' });
    await stockIn(t, keeper, w.id, item.id, 3);
    const before = await inventoryCounts(t);
    const post = (body: object) =>
      t.http
        .post('/api/admin/stock/movements')
        .set(keeper.auth)
        .send({ warehouseId: w.id, catalogItemId: item.id, type: 'in', quantity: 1, note: '盘点', ...body });

    const below = await post({ type: 'adjust', quantity: -4 });
    expect(below.status).toBe(409);
    expect(below.body.error.code).toBe('INSUFFICIENT_STOCK');
    for (const body of [
      { quantity: 0 },
      { quantity: 1.5 },
      { quantity: -1 },
      { type: 'adjust', quantity: 0 },
      { type: 'issue' },
      { note: '' },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await post({ warehouseId: 999999 })).status).toBe(404);
    const unknown = await post({ catalogItemId: 999999 });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'CATALOG_ITEM_UNAVAILABLE']);
    const notStock = await post({ catalogItemId: labour.id });
    expect([notStock.status, notStock.body.error.code]).toEqual([400, 'CATALOG_ITEM_UNAVAILABLE']);
    expect((await t.http.get('/api/admin/stock').set(keeper.auth).query({ warehouseId: 999999 })).status).toBe(404);

    expect(await inventoryCounts(t)).toEqual(before);
    expect(await balanceOf(t, w.id, item.id)).toEqual({ onHand: 3, reserved: 0 });
    // Down to exactly zero is allowed.
    await stockIn(t, keeper, w.id, item.id, -3, 'adjust');
    expect(await balanceOf(t, w.id, item.id)).toEqual({ onHand: 0, reserved: 0 });
  });

  it('when available stock falls below the safety stock, then inventory staff are notified once, not again until it recovered, and the low filter lists it', async () => {
    const w = await createWarehouse(t, keeper);
    const item = await createItem(t, keeper, { name: 'BV 2.5 mm² 铜芯线', unit: '米', safetyStock: 10 });
    const before = await lowNotices(keeper.userId);
    await stockIn(t, keeper, w.id, item.id, 12);
    await t.c.bus.drain();
    expect(await lowNotices(keeper.userId)).toBe(before);

    await stockIn(t, keeper, w.id, item.id, -3, 'adjust'); // 9 < 10: low
    await stockIn(t, keeper, w.id, item.id, -2, 'adjust'); // still low: no second notice
    await t.c.bus.drain();
    expect(await lowNotices(keeper.userId)).toBe(before + 1);
    const notice = await t.db('notifications').where({ user_id: keeper.userId, title: '库存不足' }).orderBy('id', 'desc').first();
    expect(notice.content).toContain('BV 2.5 mm² 铜芯线可用库存 9米，低于安全库存 10米');
    const low = await t.http.get('/api/admin/stock').set(keeper.auth).query({ warehouseId: w.id, lowOnly: 'true' });
    expect(low.body.data).toEqual([expect.objectContaining({ catalogItemId: item.id, available: 7, low: true })]);

    await stockIn(t, keeper, w.id, item.id, 20); // recovered
    expect(
      (await t.http.get('/api/admin/stock').set(keeper.auth).query({ warehouseId: w.id, lowOnly: 'true' })).body.data,
    ).toEqual([]);
    await stockIn(t, keeper, w.id, item.id, -20, 'adjust'); // low again: a new notice
    await t.c.bus.drain();
    expect(await lowNotices(keeper.userId)).toBe(before + 2);
  });

  it('when a stored balance disagrees with its ledger, then the reconciliation names it and npm run stock:reconcile exits 1 (0 while they agree)', async () => {
    const w = await createWarehouse(t, keeper);
    const item = await createItem(t, keeper);
    await stockIn(t, keeper, w.id, item.id, 5);
    const run = () =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-reconcile-'));
        execFile(
          path.join(ROOT, 'node_modules/.bin/tsx'),
          [path.join(ROOT, 'scripts/stock-reconcile.ts')],
          { cwd: dir, env: { ...process.env, DATABASE_URL: t.config.databaseUrl, NODE_ENV: 'test' } },
          (err, stdout) => {
            fs.rmSync(dir, { recursive: true, force: true });
            resolve({ code: err ? Number(err.code ?? 1) : 0, stdout });
          },
        );
      });
    const ok = await run();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('CONSISTENT');

    await t.db('stock_balances').where({ warehouse_id: w.id, catalog_item_id: item.id }).update({ on_hand: 6 });
    const r = await reconcileStock(createStockRepository(t.db));
    expect(r.consistent).toBe(false);
    expect(r.mismatches).toEqual([
      { warehouseId: w.id, catalogItemId: item.id, stored: { onHand: 6, reserved: 0 }, ledger: { onHand: 5, reserved: 0 } },
    ]);
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`warehouse ${w.id} item ${item.id}: stored on hand 6`);
    await t.db('stock_balances').where({ warehouse_id: w.id, catalog_item_id: item.id }).update({ on_hand: 5 });
  }, 60_000);
});
