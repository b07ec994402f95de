import type { ModuleParts, Platform } from '../../shared/module';
import type { ElectricianReader } from '../electricians';
import type { MessagesService } from '../messages';
import type { OrderNumbers, PartsOrdersPort } from '../orders';
import type { StaffDirectory } from '../users';
import { createCatalogRepository } from './catalog.repository';
import { createCatalogService } from './catalog.service';
import { subscribeInventory } from './inventory.subscriptions';
import { inventoryRoutes } from './inventory.routes';
import { createPartsRequestsRepository } from './parts-requests.repository';
import { createPartsRequestsService } from './parts-requests.service';
import { createStockRepository } from './stock.repository';
import { createLedger, createStockService } from './stock.service';

/**
 * Inventory (SPEC 3.10): the price list, warehouses and their stock ledger, and the electricians'
 * parts requests — approved (stock reserved), issued and settled by inventory staff and the
 * electrician, released when their order is cancelled or taken back; each step notified through
 * the message center and written on the order's timeline (through orders' port).
 */
export function inventoryModule(
  p: Platform,
  d: {
    orders: PartsOrdersPort & OrderNumbers;
    electricians: ElectricianReader;
    messages: Pick<MessagesService, 'notify'>;
    staff: StaffDirectory;
  },
) {
  const { db, clock, bus } = p;
  const catalogRepository = createCatalogRepository(db);
  const stockRepository = createStockRepository(db);
  const catalog = createCatalogService({ catalog: catalogRepository, clock });
  const stock = createStockService({ db, catalog: catalogRepository, stock: stockRepository, bus, clock });
  const requests = createPartsRequestsService({
    db,
    requests: createPartsRequestsRepository(db),
    catalog: catalogRepository,
    stock: stockRepository,
    ledger: createLedger({ stock: stockRepository, bus }),
    orders: d.orders,
    electricians: d.electricians,
    bus,
    clock,
  });
  subscribeInventory(bus, { requests, messages: d.messages, staff: d.staff });
  const service = { catalog, stock, requests };
  const parts: ModuleParts = { routes: inventoryRoutes(service, (ids) => d.orders.orderNos(ids)), jobs: [] };
  return { service, ...parts };
}
