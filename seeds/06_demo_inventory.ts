import type { Knex } from 'knex';

type Item = [
  code: string,
  name: string,
  category: 'labour' | 'material',
  unit: string,
  standardPrice: number,
  maxPrice: number,
  faultTypes: string[],
  safetyStock: number,
  /** Units put into the demo warehouse (materials). */
  stock: number,
];

/**
 * The demo price list (价目表, fen) for household electrics — labour and the materials a repair
 * uses — and one warehouse stocked through the ledger (an `in` movement per material), so the home's
 * price list, quotes, parts requests and the console's stock pages have something true to show.
 * Idempotent: items are added by code, the warehouse by name, stock only into an empty warehouse.
 */
export const DEMO_CATALOG: readonly Item[] = [
  ['L-DIAG', '故障排查', 'labour', '次', 5000, 10000, ['circuit', 'appliance', 'lighting', 'emergency', 'other'], 0, 0],
  ['L-SOCKET', '更换插座', 'labour', '个', 3000, 5000, ['circuit', 'installation'], 0, 0],
  ['L-SWITCH', '更换开关', 'labour', '个', 3000, 5000, ['circuit', 'lighting'], 0, 0],
  ['L-MCB', '更换空气开关', 'labour', '个', 5000, 8000, ['circuit', 'emergency'], 0, 0],
  ['L-RCD', '更换漏电保护器', 'labour', '个', 6000, 9000, ['circuit', 'emergency'], 0, 0],
  ['L-LAMP', '灯具安装', 'labour', '盏', 5000, 10000, ['lighting', 'installation'], 0, 0],
  ['L-WIRING', '明线敷设', 'labour', '米', 1500, 2500, ['circuit', 'installation'], 0, 0],
  ['L-PANEL', '配电箱检修', 'labour', '次', 10000, 20000, ['circuit', 'maintenance'], 0, 0],
  ['L-APPLIANCE', '家电线路检修', 'labour', '次', 8000, 15000, ['appliance'], 0, 0],
  ['M-SOCKET-5', '五孔插座（86 型）', 'material', '个', 1800, 2800, ['circuit', 'installation'], 20, 60],
  ['M-SOCKET-16A', '16A 空调插座', 'material', '个', 2500, 3800, ['circuit', 'appliance', 'installation'], 10, 30],
  ['M-SWITCH-1', '单开单控开关', 'material', '个', 1500, 2500, ['lighting', 'circuit'], 20, 50],
  ['M-SWITCH-2', '双开双控开关', 'material', '个', 2500, 3800, ['lighting', 'circuit'], 10, 24],
  ['M-MCB-1P', '空气开关 1P 20A', 'material', '个', 3500, 5500, ['circuit', 'emergency'], 10, 30],
  ['M-MCB-2P', '空气开关 2P 32A', 'material', '个', 6500, 9500, ['circuit', 'emergency'], 8, 16],
  ['M-RCD-2P', '漏电保护器 2P 40A', 'material', '个', 12000, 18000, ['circuit', 'emergency'], 5, 12],
  ['M-WIRE-BV25', 'BV 2.5 mm² 铜芯线', 'material', '米', 350, 550, ['circuit', 'installation'], 200, 500],
  ['M-WIRE-BV4', 'BV 4 mm² 铜芯线', 'material', '米', 550, 850, ['circuit', 'appliance', 'installation'], 100, 300],
  ['M-LED-CEIL', 'LED 吸顶灯 24W', 'material', '盏', 12000, 18000, ['lighting'], 5, 4],
  ['M-BOX-86', '86 型暗盒', 'material', '个', 300, 500, ['installation'], 30, 80],
  ['M-TAPE', '绝缘胶布', 'material', '卷', 300, 500, ['circuit', 'maintenance', 'other'], 20, 40],
];

export const DEMO_WAREHOUSE = { name: '西湖中心仓', address: '杭州市西湖区文三路 100 号' } as const;

export async function seed(knex: Knex, now: Date = new Date()): Promise<void> {
  await knex.transaction(async (trx) => {
    for (const [code, name, category, unit, standardPrice, maxPrice, faultTypes, safetyStock] of DEMO_CATALOG) {
      if (await trx('catalog_items').where({ code }).first()) continue;
      await trx('catalog_items').insert({
        code,
        name,
        category,
        unit,
        standard_price: standardPrice,
        max_price: maxPrice,
        fault_types: JSON.stringify(faultTypes),
        active: true,
        safety_stock: safetyStock,
        created_at: now,
        updated_at: now,
      });
    }
    let warehouse = await trx('warehouses').where({ name: DEMO_WAREHOUSE.name }).first();
    if (!warehouse) {
      await trx('warehouses').insert({ ...DEMO_WAREHOUSE, active: true, created_at: now, updated_at: now });
      warehouse = await trx('warehouses').where({ name: DEMO_WAREHOUSE.name }).first();
    }
    if (await trx('stock_movements').where({ warehouse_id: warehouse.id }).first()) return;
    for (const [code, , , , , , , safetyStock, stock] of DEMO_CATALOG) {
      if (stock <= 0) continue;
      const item = await trx('catalog_items').where({ code }).first();
      const key = { warehouse_id: warehouse.id, catalog_item_id: item.id };
      await trx('stock_balances').insert({
        ...key,
        on_hand: stock,
        reserved: 0,
        low_alerted: stock < safetyStock,
        updated_at: now,
      });
      await trx('stock_movements').insert({
        ...key,
        type: 'in',
        quantity: stock,
        actor_id: null,
        actor_role: 'system',
        parts_request_id: null,
        note: '演示数据：期初入库',
        created_at: now,
      });
    }
  });
}
