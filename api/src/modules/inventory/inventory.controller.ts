import type { Request } from 'express';
import type { z } from 'zod';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { CatalogItem } from './catalog.repository';
import type { CatalogService } from './catalog.service';
import {
  type adminCatalogItemView,
  adminCatalogQuery,
  adminPartsRequestsQuery,
  cancelBody,
  type catalogItemView,
  catalogQuery,
  createCatalogItemBody,
  createMovementBody,
  createPartsRequestBody,
  createWarehouseBody,
  idParams,
  movementsQuery,
  type movementView,
  type partsRequestView,
  patchCatalogItemBody,
  rejectBody,
  settleBody,
  stockQuery,
  type stockView,
  type warehouseView,
} from './inventory.schemas';
import type { PartsRequest } from './parts-requests.repository';
import type { PartsRequestsService } from './parts-requests.service';
import type { Balance, Movement, Warehouse } from './stock.repository';
import type { StockService } from './stock.service';

export const inventoryRequests = {
  catalog: { query: catalogQuery },
  adminCatalog: { query: adminCatalogQuery },
  createItem: { body: createCatalogItemBody },
  patchItem: { params: idParams, body: patchCatalogItemBody },
  createWarehouse: { body: createWarehouseBody },
  stock: { query: stockQuery },
  movements: { query: movementsQuery },
  createMovement: { body: createMovementBody },
  byId: { params: idParams },
  createRequest: { params: idParams, body: createPartsRequestBody },
  cancel: { params: idParams, body: cancelBody },
  settle: { params: idParams, body: settleBody },
  adminRequests: { query: adminPartsRequestsQuery },
  reject: { params: idParams, body: rejectBody },
};

/** The order numbers of requests, by order id (the orders module's `orderNos`). */
export type OrderNos = (ids: number[]) => Promise<Map<number, string>>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const catalogItemOf = (i: CatalogItem): z.infer<typeof catalogItemView> => ({
  id: i.id,
  code: i.code,
  name: i.name,
  category: i.category,
  unit: i.unit,
  standardPrice: i.standardPrice,
  maxPrice: i.maxPrice,
  faultTypes: i.faultTypes,
});

const adminCatalogItemOf = (i: CatalogItem): z.infer<typeof adminCatalogItemView> => ({
  ...catalogItemOf(i),
  active: i.active,
  safetyStock: i.safetyStock,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
});

const warehouseOf = (w: Warehouse): z.infer<typeof warehouseView> => ({
  id: w.id,
  name: w.name,
  address: w.address,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});

const stockOf = (b: Balance): z.infer<typeof stockView> => ({
  warehouseId: b.warehouseId,
  catalogItemId: b.catalogItemId,
  code: b.code,
  name: b.name,
  unit: b.unit,
  onHand: b.onHand,
  reserved: b.reserved,
  available: b.onHand - b.reserved,
  safetyStock: b.safetyStock,
  low: b.onHand - b.reserved < b.safetyStock,
});

const movementOf = (m: Movement): z.infer<typeof movementView> => ({
  id: m.id,
  warehouseId: m.warehouseId,
  catalogItemId: m.catalogItemId,
  itemName: m.itemName,
  type: m.type,
  quantity: m.quantity,
  actorId: m.actorId,
  actorRole: m.actorRole,
  partsRequestId: m.partsRequestId,
  note: m.note,
  createdAt: m.createdAt.toISOString(),
});

export function createInventoryController(
  s: { catalog: CatalogService; stock: StockService; requests: PartsRequestsService },
  orderNos: OrderNos,
) {
  const r = inventoryRequests;

  async function requestsOf(list: PartsRequest[]): Promise<z.infer<typeof partsRequestView>[]> {
    const nos = await orderNos([...new Set(list.map((p) => p.orderId))]);
    return list.map((p) => ({
      id: p.id,
      orderId: p.orderId,
      orderNo: nos.get(p.orderId) ?? '',
      electricianId: p.electricianId,
      warehouseId: p.warehouseId,
      warehouseName: p.warehouseName,
      status: p.status,
      note: p.note,
      reason: p.reason,
      items: p.items.map((i) => ({
        catalogItemId: i.catalogItemId,
        code: i.code,
        name: i.name,
        unit: i.unit,
        quantity: i.quantity,
        used: i.used,
      })),
      approvedAt: iso(p.approvedAt),
      issuedAt: iso(p.issuedAt),
      settledAt: iso(p.settledAt),
      closedAt: iso(p.closedAt),
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    }));
  }
  const one = async (p: PartsRequest) => (await requestsOf([p]))[0]!;

  return {
    // --- catalog
    catalog: async (req: Request) => (await s.catalog.active(valid(req, r.catalog).query)).map(catalogItemOf),
    adminCatalog: async (req: Request) => (await s.catalog.list(valid(req, r.adminCatalog).query)).map(adminCatalogItemOf),
    createItem: async (req: Request) => adminCatalogItemOf(await s.catalog.create(valid(req, r.createItem).body)),
    patchItem: async (req: Request) => {
      const { params, body } = valid(req, r.patchItem);
      return adminCatalogItemOf(await s.catalog.update(params.id, body));
    },

    // --- warehouses and stock
    warehouses: async () => (await s.stock.warehouses()).map(warehouseOf),
    activeWarehouses: async () => (await s.stock.warehouses()).filter((w) => w.active).map(warehouseOf),
    createWarehouse: async (req: Request) => warehouseOf(await s.stock.createWarehouse(valid(req, r.createWarehouse).body)),
    stock: async (req: Request) => (await s.stock.balances(valid(req, r.stock).query)).map(stockOf),
    movements: async (req: Request) => {
      const page = await s.stock.movements(valid(req, r.movements).query);
      return paged({ ...page, items: page.items.map(movementOf) });
    },
    createMovement: async (req: Request) => movementOf(await s.stock.record(principal(req), valid(req, r.createMovement).body)),

    // --- parts requests
    createRequest: async (req: Request) => {
      const { params, body } = valid(req, r.createRequest);
      return one(await s.requests.create(principal(req), params.id, body));
    },
    orderRequests: async (req: Request) => requestsOf(await s.requests.forOrder(principal(req), valid(req, r.byId).params.id)),
    cancel: async (req: Request) => {
      const { params, body } = valid(req, r.cancel);
      return one(await s.requests.cancel(principal(req), params.id, body.reason));
    },
    settle: async (req: Request) => {
      const { params, body } = valid(req, r.settle);
      return one(await s.requests.settle(principal(req), params.id, body));
    },
    adminRequests: async (req: Request) => {
      const page = await s.requests.list(valid(req, r.adminRequests).query);
      return paged({ ...page, items: await requestsOf(page.items) });
    },
    approve: async (req: Request) => one(await s.requests.approve(principal(req), valid(req, r.byId).params.id)),
    reject: async (req: Request) => {
      const { params, body } = valid(req, r.reject);
      return one(await s.requests.reject(principal(req), params.id, body.reason));
    },
    issue: async (req: Request) => one(await s.requests.issue(principal(req), valid(req, r.byId).params.id)),
  };
}
