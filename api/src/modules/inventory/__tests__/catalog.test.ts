import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../../../../seeds';
import { DEMO_CATALOG } from '../../../../../seeds/06_demo_inventory';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';
import { reconcileStock } from '../reconcile';
import { createStockRepository } from '../stock.repository';
import { createItem } from './inventory-helpers';

let t: TestApp;
let keeper: StaffSession;
beforeAll(async () => {
  t = await createTestApp();
  keeper = await loginAsStaff(t, 'inventory');
});
afterAll(async () => {
  await t?.close();
});

describe('price list', () => {
  it('when the demo seeds run twice, then the household price list exists once, customers read its active items by fault type, category and keyword, and the seeded stock agrees with its ledger', async () => {
    await runSeeds(t.db, t.clock);
    await runSeeds(t.db, t.clock);

    const all = await t.http.get('/api/catalog/items');
    expect(all.status).toBe(200);
    const codes = (all.body.data as { code: string }[]).map((i) => i.code);
    for (const [code] of DEMO_CATALOG) expect(codes.filter((c) => c === code)).toHaveLength(1);
    const mcb = (all.body.data as Record<string, unknown>[]).find((i) => i.code === 'M-MCB-2P');
    expect(mcb).toEqual({
      id: expect.any(Number),
      code: 'M-MCB-2P',
      name: '空气开关 2P 32A',
      category: 'material',
      unit: '个',
      standardPrice: 6500,
      maxPrice: 9500,
      faultTypes: ['circuit', 'emergency'],
    });

    const lighting = await t.http.get('/api/catalog/items').query({ faultType: 'lighting', category: 'labour' });
    expect((lighting.body.data as { code: string }[]).map((i) => i.code).sort()).toEqual(['L-DIAG', 'L-LAMP', 'L-SWITCH']);
    const wire = await t.http.get('/api/catalog/items').query({ keyword: 'mm²' });
    expect((wire.body.data as { code: string }[]).map((i) => i.code).sort()).toEqual(['M-WIRE-BV25', 'M-WIRE-BV4']);

    const stock = await t.http.get('/api/admin/stock').set(keeper.auth).query({ lowOnly: 'true' });
    expect(stock.body.data).toEqual([
      expect.objectContaining({ code: 'M-LED-CEIL', onHand: 4, reserved: 0, available: 4, safetyStock: 5, low: true }),
    ]);
    expect(await reconcileStock(createStockRepository(t.db))).toMatchObject({ consistent: true, mismatches: [] });
  });

  it('when staff with catalog.manage add, change and retire an item, then the admin list shows it all and the public list only while active', async () => {
    const created = await t.http
      .post('/api/admin/catalog/items')
      .set(keeper.auth)
      .send({
        code: 'L-TEST-1',
        name: '插座移位',
        category: 'labour',
        unit: '个',
        standardPrice: 4000,
        maxPrice: 6000,
        faultTypes: ['installation'],
      });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ code: 'L-TEST-1', active: true, safetyStock: 0, faultTypes: ['installation'] });
    const id = created.body.data.id as number;

    const changed = await t.http.patch(`/api/admin/catalog/items/${id}`).set(keeper.auth).send({ maxPrice: 7000, active: false });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ maxPrice: 7000, standardPrice: 4000, active: false });

    const pub = await t.http.get('/api/catalog/items').query({ keyword: '插座移位' });
    expect(pub.body.data).toEqual([]);
    const admin = await t.http.get('/api/admin/catalog/items').set(keeper.auth).query({ keyword: '插座移位', active: 'false' });
    expect(admin.body.data).toEqual([expect.objectContaining({ id, active: false })]);

    // ops_manager keeps the price list too; an agent may not.
    const ops = await loginAsStaff(t, 'ops_manager');
    expect((await t.http.patch(`/api/admin/catalog/items/${id}`).set(ops.auth).send({ active: true })).status).toBe(200);
    const agent = await loginAsStaff(t, 'agent');
    expect((await t.http.patch(`/api/admin/catalog/items/${id}`).set(agent.auth).send({ active: false })).status).toBe(403);
  });

  it('when an item is given bad input, a taken code or a ceiling below its price, then 400/409 and nothing changes', async () => {
    const item = await createItem(t, keeper, { code: 'M-TEST-BAD' });
    const before = await t.db('catalog_items').orderBy('id');
    const post = (body: object) => t.http.post('/api/admin/catalog/items').set(keeper.auth).send(body);
    const valid = { code: 'M-TEST-2', name: '开关', category: 'material', unit: '个', standardPrice: 1000, maxPrice: 1500 };

    for (const [body, path] of [
      [{ ...valid, standardPrice: 10.5 }, 'standardPrice'],
      [{ ...valid, standardPrice: -1 }, 'standardPrice'],
      [{ ...valid, maxPrice: 900 }, 'maxPrice'],
      [{ ...valid, category: 'tool' }, 'category'],
      [{ ...valid, faultTypes: ['plumbing'] }, 'faultTypes'],
      [{ ...valid, code: 'bad code' }, 'code'],
      [{ ...valid, safetyStock: 1.5 }, 'safetyStock'],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details[0].path).toContain(path);
    }
    const taken = await post({ ...valid, code: 'M-TEST-BAD' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CATALOG_CODE_EXISTS');

    const below = await t.http.patch(`/api/admin/catalog/items/${item.id}`).set(keeper.auth).send({ maxPrice: 100 });
    expect(below.status).toBe(400);
    expect(below.body.error.details[0].path).toEqual(['body', 'maxPrice']);
    expect((await t.http.patch(`/api/admin/catalog/items/${item.id}`).set(keeper.auth).send({})).status).toBe(400);
    expect((await t.http.patch('/api/admin/catalog/items/999999').set(keeper.auth).send({ name: '不存在' })).status).toBe(404);
    expect((await t.http.get('/api/catalog/items').query({ category: 'tool' })).status).toBe(400);

    expect(await t.db('catalog_items').orderBy('id')).toEqual(before);
  });
});
