import type { ModuleParts, Platform } from '../../shared/module';
import { createIdempotency } from '../../shared/idempotency';
import type { AddressPlaces } from '../addresses';
import type { ConversationOpener, StatusLines } from '../chat';
import type { DispatchOffersPort, DispatchService } from '../dispatch';
import type { ElectricianCards, OrderElectriciansPort } from '../electricians';
import type { FilesService } from '../files';
import type { QuotePricer } from '../inventory';
import type { AccountDeletion, AccountLocks } from '../users';
import type { OrdersPorts } from './index';
import { createHallIndex, ORDER_CHANGED_NAMES } from './hall-index';
import { createOrdersRepository } from './orders.repository';
import { adminOrdersRoutes, ordersRoutes } from './orders.routes';
import { createOrdersService } from './orders.service';
import { createOrderPresenter } from './orders.views';

/**
 * Orders: placing, the hall, every transition and the staff's order tools, the expiry and arrival
 * jobs, and the ports payments, reviews, complaints and realtime use.
 */
export function ordersModule(
  p: Platform,
  d: {
    files: FilesService;
    electricians: OrderElectriciansPort & ElectricianCards;
    dispatch: { offers: DispatchOffersPort; service: DispatchService };
    chat: ConversationOpener & StatusLines;
    users: AccountLocks;
    addresses: AddressPlaces;
    deletion: AccountDeletion;
    priceQuote: QuotePricer;
  },
) {
  const { db, clock, bus, config, logger } = p;
  const repository = createOrdersRepository(db);
  const hall = createHallIndex(repository, logger.child({ module: 'orders', component: 'hall-index' }));
  // This instance's commits reach the hall at once; other instances' through the follow job.
  for (const name of ORDER_CHANGED_NAMES) bus.subscribe(name, (e) => hall.apply(e.order));
  const service = createOrdersService({
    db,
    orders: repository,
    hall,
    electricians: d.electricians,
    files: d.files,
    dispatch: d.dispatch.offers,
    bus,
    clock,
    idempotency: createIdempotency(db, clock),
    business: config.business,
    logger: logger.child({ module: 'orders' }),
    openConversation: (o, now, trx) => d.chat.openForOrder(o, now, trx),
    statusLineIn: (e, now, trx, opened) => d.chat.statusLineIn(e, now, trx, opened),
    lockCustomer: (userId, trx) => d.users.lockLive(userId, trx),
    placeOf: (userId, addressId, trx) => d.addresses.placeOf(userId, addressId, trx),
    priceQuote: d.priceQuote,
  });
  d.deletion.busyWhen(async (party, trx) => ((await repository.hasOpenFor(party, trx)) ? '你有进行中的工单' : null));
  d.deletion.erase((party, _openid, now, trx) => repository.anonymiseCustomer(party.customerId, now, trx));

  const presenter = createOrderPresenter(d.electricians, (ids) => d.files.refs(ids));
  const parts: ModuleParts = {
    routes: [
      ...ordersRoutes(service, d.dispatch.service, presenter, p.rateLimits),
      ...adminOrdersRoutes(service, d.dispatch.service, presenter),
    ],
    jobs: [
      { name: 'orders.expire', intervalMs: 30_000, run: () => service.expireDue() },
      { name: 'orders.arrival-sla', intervalMs: 60_000, run: () => service.alertOverdueArrivals() },
      // The hall index's upkeep reports no count: the scheduler would log "job ran" twice a second
      // on a busy day, and a reload's count is the pending orders held, not work done.
      {
        name: 'orders.hall-follow',
        intervalMs: 500,
        run: async () => {
          await hall.follow();
        },
      },
      {
        name: 'orders.hall-reload',
        intervalMs: 60_000,
        run: async () => {
          await hall.reload();
        },
      },
    ],
  };
  const ports: OrdersPorts = repository;
  // `repository` is for tests that make the database fail under the running service (a deadlock victim).
  return { service, ...parts, ports, repository, hall };
}
