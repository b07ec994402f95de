import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import type { CatalogService } from './catalog.service';
import { createInventoryController, inventoryRequests as r, type OrderNos } from './inventory.controller';
import {
  adminCatalogItemView,
  catalogItemView,
  movementView,
  partsRequestView,
  stockView,
  warehouseView,
} from './inventory.schemas';
import type { PartsRequestsService } from './parts-requests.service';
import type { StockService } from './stock.service';

export function inventoryRoutes(
  services: { catalog: CatalogService; stock: StockService; requests: PartsRequestsService },
  orderNos: OrderNos,
): RouteDef[] {
  const c = createInventoryController(services, orderNos);
  const tags = ['Inventory'];
  const admin = ['Admin'];
  return [
    // --- the price list, public
    {
      method: 'get',
      path: '/api/catalog/items',
      summary: 'The price list (价目表): active labour items and materials with standard and ceiling prices (fen)',
      tags,
      auth: 'public',
      schemas: r.catalog,
      response: z.array(catalogItemView),
      handler: c.catalog,
    },

    // --- parts requests: the order's electrician
    {
      method: 'get',
      path: '/api/warehouses',
      summary: 'The active warehouses an electrician may ask for parts (name and address)',
      tags,
      auth: ['electrician'],
      // Staff read warehouses at GET /api/admin/warehouses.
      staff: 'none',
      response: z.array(warehouseView),
      handler: c.activeWarehouses,
    },
    {
      method: 'post',
      path: '/api/orders/:id/parts-requests',
      summary:
        'Ask a warehouse for parts for my order (accepted … in progress): active materials of the price list, whole quantities (400 CATALOG_ITEM_UNAVAILABLE, WAREHOUSE_UNAVAILABLE; 409 INVALID_TRANSITION)',
      tags,
      auth: 'user',
      staff: 'none',
      status: 201,
      schemas: r.createRequest,
      response: partsRequestView,
      handler: c.createRequest,
    },
    {
      method: 'get',
      path: '/api/orders/:id/parts-requests',
      summary: "The order's parts requests (its electrician; staff who read stock or orders)",
      tags,
      auth: 'user',
      staff: ['inventory.read', 'orders.read'],
      schemas: r.byId,
      response: z.array(partsRequestView),
      handler: c.orderRequests,
    },
    {
      method: 'post',
      path: '/api/parts-requests/:id/cancel',
      summary: 'Withdraw my pending or approved request (an approved one’s reservation is released)',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.cancel,
      response: partsRequestView,
      handler: c.cancel,
    },
    {
      method: 'post',
      path: '/api/parts-requests/:id/settle',
      summary: 'Record what was used of my issued parts (used ≤ issued, every line); the rest returns to stock',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.settle,
      response: partsRequestView,
      handler: c.settle,
    },

    // --- staff: the price list
    {
      method: 'get',
      path: '/api/admin/catalog/items',
      summary: 'The whole price list, retired items included (filter by active, fault type, category, keyword)',
      tags: admin,
      auth: { permission: 'catalog.manage' },
      schemas: r.adminCatalog,
      response: z.array(adminCatalogItemView),
      handler: c.adminCatalog,
    },
    {
      method: 'post',
      path: '/api/admin/catalog/items',
      summary: 'Add a price-list item (409 CATALOG_CODE_EXISTS)',
      tags: admin,
      auth: { permission: 'catalog.manage' },
      status: 201,
      schemas: r.createItem,
      response: adminCatalogItemView,
      handler: c.createItem,
    },
    {
      method: 'patch',
      path: '/api/admin/catalog/items/:id',
      summary: 'Change a price-list item (prices, fault types, safety stock; active: false retires it)',
      tags: admin,
      auth: { permission: 'catalog.manage' },
      schemas: r.patchItem,
      response: adminCatalogItemView,
      handler: c.patchItem,
    },

    // --- staff: warehouses and stock
    {
      method: 'get',
      path: '/api/admin/warehouses',
      summary: 'Warehouses',
      tags: admin,
      auth: { permission: 'inventory.read' },
      response: z.array(warehouseView),
      handler: c.warehouses,
    },
    {
      method: 'post',
      path: '/api/admin/warehouses',
      summary: 'Add a warehouse (409 WAREHOUSE_EXISTS)',
      tags: admin,
      auth: { permission: 'inventory.manage' },
      status: 201,
      schemas: r.createWarehouse,
      response: warehouseView,
      handler: c.createWarehouse,
    },
    {
      method: 'get',
      path: '/api/admin/stock',
      summary: 'Stock per warehouse and item: on hand, reserved, available, safety stock, low (lowOnly: only the low ones)',
      tags: admin,
      auth: { permission: 'inventory.read' },
      schemas: r.stock,
      response: z.array(stockView),
      handler: c.stock,
    },
    {
      method: 'get',
      path: '/api/admin/stock/movements',
      summary: 'The stock ledger, newest first',
      tags: admin,
      auth: { permission: 'inventory.read' },
      schemas: r.movements,
      response: z.array(movementView),
      handler: c.movements,
    },
    {
      method: 'post',
      path: '/api/admin/stock/movements',
      summary: 'Stock in (in) or correct after a count (adjust, signed): never below what is reserved (409 INSUFFICIENT_STOCK)',
      tags: admin,
      auth: { permission: 'inventory.manage' },
      status: 201,
      schemas: r.createMovement,
      response: movementView,
      handler: c.createMovement,
    },

    // --- staff: parts requests
    {
      method: 'get',
      path: '/api/admin/parts-requests',
      summary: 'Parts requests, newest first (filter by status, warehouse, order)',
      tags: admin,
      auth: { permission: 'inventory.read' },
      schemas: r.adminRequests,
      response: z.array(partsRequestView),
      handler: c.adminRequests,
    },
    {
      method: 'post',
      path: '/api/admin/parts-requests/:id/approve',
      summary: 'Approve: reserve every line, all or nothing (409 INSUFFICIENT_STOCK when any is short)',
      tags: admin,
      auth: { permission: 'inventory.manage' },
      schemas: r.byId,
      response: partsRequestView,
      handler: c.approve,
    },
    {
      method: 'post',
      path: '/api/admin/parts-requests/:id/reject',
      summary: 'Reject a pending request with a reason',
      tags: admin,
      auth: { permission: 'inventory.manage' },
      schemas: r.reject,
      response: partsRequestView,
      handler: c.reject,
    },
    {
      method: 'post',
      path: '/api/admin/parts-requests/:id/issue',
      summary: 'Issue the approved parts to the electrician (the reservation leaves stock)',
      tags: admin,
      auth: { permission: 'inventory.manage' },
      schemas: r.byId,
      response: partsRequestView,
      handler: c.issue,
    },
  ];
}
