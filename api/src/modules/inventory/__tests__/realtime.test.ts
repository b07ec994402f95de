import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/harness';
import { connect, useRealtimeApp, waitFor } from '../../../realtime/__tests__/support';
import { createItem, inventoryWorld, requestParts, stockIn } from './inventory-helpers';

let t: TestApp;
let url: string;
useRealtimeApp((app) => {
  t = app.t;
  url = app.url;
});

describe('parts requests in real time', () => {
  it('when a request is made and approved, then the storekeeper and the electrician each get the notification pushed on their socket', async () => {
    const w = await inventoryWorld(t, 'pr-live');
    const item = await createItem(t, w.keeper, { name: '漏电保护器 2P 40A' });
    await stockIn(t, w.keeper, w.warehouse.id, item.id, 3);
    const keeperSocket = await connect(url, w.keeper.token);
    const electricianSocket = await connect(url, w.electrician.token);

    const toKeeper = waitFor(keeperSocket, 'notification', (n) => n.title === '新的配件申请');
    const asked = await requestParts(t, w.electrician, w.orderId, {
      warehouseId: w.warehouse.id,
      items: [{ catalogItemId: item.id, quantity: 1 }],
    });
    expect((await toKeeper).orderId).toBe(w.orderId);

    const toElectrician = waitFor(electricianSocket, 'notification', (n) => n.title === '配件申请已批准');
    await t.http.post(`/api/admin/parts-requests/${asked.body.data.id}/approve`).set(w.keeper.auth);
    expect(await toElectrician).toMatchObject({ orderId: w.orderId, type: 'order' });
  });
});
