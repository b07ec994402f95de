import type { ModuleParts, Platform } from '../../shared/module';
import { createDispatchRepository } from './dispatch.repository';
import { createDispatchService, subscribeDispatch, type DispatchElectricians, type DispatchOrders } from './dispatch.service';
import type { DispatchOffersPort } from './index';

/**
 * Auto-dispatch of urgent orders: offers one electrician at a time when an urgent order is placed
 * or released, expires unanswered offers, and gives staff the candidates to assign an order to.
 * Its routes live with the orders' (they are paths of an order); `ports` are the offers an order
 * transition touches.
 */
export function dispatchModule(p: Platform, d: { orders: DispatchOrders; electricians: DispatchElectricians }) {
  const { db, clock, bus, config, logger } = p;
  const repository = createDispatchRepository(db);
  const service = createDispatchService({
    db,
    offers: repository,
    orders: d.orders,
    electricians: d.electricians,
    bus,
    clock,
    business: config.business,
    logger: logger.child({ module: 'dispatch' }),
  });
  subscribeDispatch(bus, service);
  const parts: ModuleParts = {
    routes: [],
    jobs: [
      {
        name: 'dispatch.offers',
        intervalMs: 5_000,
        run: async () => (await service.expireDue()) + (await service.startWaiting()),
      },
    ],
  };
  const ports: DispatchOffersPort = repository;
  return { service, ...parts, ports };
}
