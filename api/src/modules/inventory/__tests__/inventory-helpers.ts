import { randomBytes } from 'node:crypto';
import { loginAsElectrician, login, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';

const unique = () => randomBytes(3).toString('hex').toUpperCase();

/** A price-list item made through the API by `staff` (a material unless told). */
export async function createItem(t: TestApp, staff: Session, overrides: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/admin/catalog/items')
    .set(staff.auth)
    .send({
      code: `M-${unique()}`,
      name: '五孔插座',
      category: 'material',
      unit: '个',
      standardPrice: 1800,
      maxPrice: 2800,
      faultTypes: ['circuit'],
      safetyStock: 0,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`create item failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; code: string; name: string };
}

export async function createWarehouse(t: TestApp, staff: Session, name = `仓库-${unique()}`) {
  const res = await t.http.post('/api/admin/warehouses').set(staff.auth).send({ name, address: '西湖区文三路 100 号' });
  if (res.status !== 201) throw new Error(`create warehouse failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; name: string };
}

/** Stock in (or adjusts) through the API. */
export async function stockIn(
  t: TestApp,
  staff: Session,
  warehouseId: number,
  catalogItemId: number,
  quantity: number,
  type = 'in',
) {
  const res = await t.http
    .post('/api/admin/stock/movements')
    .set(staff.auth)
    .send({ warehouseId, catalogItemId, type, quantity, note: '入库' });
  if (res.status !== 201) throw new Error(`stock ${type} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number };
}

/** On hand and reserved of one balance, read from the table. */
export async function balanceOf(t: TestApp, warehouseId: number, catalogItemId: number) {
  const row = await t.db('stock_balances').where({ warehouse_id: warehouseId, catalog_item_id: catalogItemId }).first();
  return row ? { onHand: Number(row.on_hand), reserved: Number(row.reserved) } : undefined;
}

/** A storekeeper, a warehouse, a customer and an electrician holding an accepted order of theirs. */
export async function inventoryWorld(t: TestApp, name: string) {
  const keeper: StaffSession = await loginAsStaff(t, 'inventory');
  const warehouse = await createWarehouse(t, keeper);
  const customer = await login(t, `${name}-c`);
  const electrician = await loginAsElectrician(t, `${name}-e`);
  const order = await placeOrder(t, customer);
  const grab = await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth);
  if (grab.status !== 200) throw new Error(`grab failed: ${grab.status} ${JSON.stringify(grab.body)}`);
  return { keeper, warehouse, customer, electrician, orderId: order.id as number };
}

/** Asks for parts as `s`; returns the response. */
export const requestParts = (t: TestApp, s: Session, orderId: number, body: object) =>
  t.http.post(`/api/orders/${orderId}/parts-requests`).set(s.auth).send(body);

/** Row counts of the inventory tables and the order timeline: "nothing written" checks. */
export async function inventoryCounts(t: TestApp) {
  const n = async (table: string) => Number(((await t.db(table).count({ c: '*' })) as [{ c: number | string }])[0].c);
  return {
    requests: await n('parts_requests'),
    lines: await n('parts_request_items'),
    movements: await n('stock_movements'),
    balances: JSON.stringify(await t.db('stock_balances').orderBy(['warehouse_id', 'catalog_item_id'])),
    orderEvents: await n('order_events'),
  };
}
