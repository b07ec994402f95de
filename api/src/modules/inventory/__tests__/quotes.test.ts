import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { snapshot } from '../../orders/__tests__/order-helpers';
import { createItem, inventoryWorld } from './inventory-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** An order accepted and arrived, ready to quote. */
async function arrived(name: string) {
  const w = await inventoryWorld(t, name);
  const res = await t.http
    .post(`/api/orders/${w.orderId}/arrive`)
    .set(w.electrician.auth)
    .send({ latitude: 30.2613, longitude: 120.1334 });
  if (res.status !== 200) throw new Error(`arrive failed: ${res.status}`);
  return w;
}

describe('quotes from the price list', () => {
  it('when the electrician quotes catalog lines and a free-text line, then names and units come from the catalog and each line carries its standard price and flag', async () => {
    const w = await arrived('qt-flags');
    const mcb = await createItem(t, w.keeper, { name: '空气开关 2P 32A', standardPrice: 6500, maxPrice: 9500 });
    const labour = await createItem(t, w.keeper, {
      category: 'labour',
      name: '更换空气开关',
      standardPrice: 5000,
      maxPrice: 8000,
    });
    const res = await t.http
      .post(`/api/orders/${w.orderId}/quote`)
      .set(w.electrician.auth)
      .send({
        items: [
          { catalogItemId: mcb.id, name: '随便写的名字', quantity: 1, unitPrice: 6000 },
          { catalogItemId: labour.id, quantity: 1, unitPrice: 7000 },
          { name: '辅材', quantity: 1, unitPrice: 500 },
        ],
        labourFee: 0,
      });
    expect(res.status).toBe(200);
    expect(res.body.data.quotedAmount).toBe(13500);
    expect(res.body.data.quoteItems).toEqual([
      {
        catalogItemId: mcb.id,
        name: '空气开关 2P 32A',
        unit: '个',
        quantity: 1,
        unitPrice: 6000,
        standardPrice: 6500,
        priceFlag: 'standard',
      },
      {
        catalogItemId: labour.id,
        name: '更换空气开关',
        unit: '个',
        quantity: 1,
        unitPrice: 7000,
        standardPrice: 5000,
        priceFlag: 'above_standard',
      },
      { name: '辅材', quantity: 1, unitPrice: 500, priceFlag: 'custom' },
    ]);
    const seen = await t.http.get(`/api/orders/${w.orderId}`).set(w.customer.auth);
    expect(seen.body.data.quoteItems.map((i: { priceFlag: string }) => i.priceFlag)).toEqual([
      'standard',
      'above_standard',
      'custom',
    ]);
    const stored = await t.db('order_quotes').where({ order_id: w.orderId }).first();
    expect(JSON.parse(typeof stored.items === 'string' ? stored.items : JSON.stringify(stored.items))[1]).toMatchObject({
      priceFlag: 'above_standard',
      standardPrice: 5000,
    });
  });

  it('when a line is above its ceiling, names a retired or unknown item, or has neither item nor name, then 400 and the order is unchanged', async () => {
    const w = await arrived('qt-bad');
    const item = await createItem(t, w.keeper, { standardPrice: 1800, maxPrice: 2800 });
    const retired = await createItem(t, w.keeper);
    await t.http.patch(`/api/admin/catalog/items/${retired.id}`).set(w.keeper.auth).send({ active: false });
    const before = await snapshot(t, w.orderId);
    const quote = (items: object[]) =>
      t.http.post(`/api/orders/${w.orderId}/quote`).set(w.electrician.auth).send({ items, labourFee: 1000 });

    const ceiling = await quote([
      { catalogItemId: item.id, quantity: 1, unitPrice: 2800 },
      { catalogItemId: item.id, quantity: 2, unitPrice: 2801 },
    ]);
    expect(ceiling.status).toBe(400);
    expect(ceiling.body.error.code).toBe('PRICE_ABOVE_CEILING');
    expect(ceiling.body.error.details).toEqual([
      { path: ['body', 'items', 1, 'unitPrice'], message: '五孔插座 单价不能高于 28.00 元' },
    ]);
    for (const [items, code] of [
      [[{ catalogItemId: retired.id, quantity: 1, unitPrice: 100 }], 'CATALOG_ITEM_UNAVAILABLE'],
      [[{ catalogItemId: 999999, quantity: 1, unitPrice: 100 }], 'CATALOG_ITEM_UNAVAILABLE'],
      [[{ quantity: 1, unitPrice: 100 }], 'VALIDATION_FAILED'],
      [[{ catalogItemId: item.id, quantity: 1.5, unitPrice: 100 }], 'VALIDATION_FAILED'],
      [[{ catalogItemId: item.id, quantity: 0, unitPrice: 100 }], 'VALIDATION_FAILED'],
    ] as const) {
      const res = await quote([...items]);
      expect([res.status, res.body.error.code], JSON.stringify(items)).toEqual([400, code]);
    }
    expect(await snapshot(t, w.orderId)).toEqual(before);
  });

  it('when a quote was stored before the price list, then it reads as it was stored', async () => {
    const w = await arrived('qt-old');
    const old = [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }];
    await t
      .db('orders')
      .where({ id: w.orderId })
      .update({ quote_items: JSON.stringify(old), quoted_amount: 3000 });
    const res = await t.http.get(`/api/orders/${w.orderId}`).set(w.customer.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.quoteItems).toEqual(old);
  });
});
