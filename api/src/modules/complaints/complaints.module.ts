import type { ModuleParts, Platform } from '../../shared/module';
import type { ElectricianReader } from '../electricians';
import type { FilesService } from '../files';
import type { OrderReader, ReworkPort } from '../orders';
import type { RefundsPort } from '../payments';
import type { AccountDeletion } from '../users';
import { createComplaintsRepository } from './complaints.repository';
import { complaintsRoutes } from './complaints.routes';
import { createComplaintsService } from './complaints.service';

/**
 * Complaints: filed by either party, handled by staff with escalation, resolved by rework (through
 * orders) or a refund (through payments).
 */
export function complaintsModule(
  p: Platform,
  d: {
    orders: OrderReader;
    electricians: ElectricianReader;
    rework: ReworkPort;
    refunds: RefundsPort;
    files: FilesService;
    deletion: AccountDeletion;
  },
) {
  const { db, clock, bus, config, logger } = p;
  const repository = createComplaintsRepository(db);
  d.deletion.busyWhen(async (party, trx) => ((await repository.hasOpenFor(party, trx)) ? '你有处理中的投诉' : null));
  const service = createComplaintsService({
    db,
    complaints: repository,
    orders: d.orders,
    electricians: d.electricians,
    ordersService: d.rework,
    payments: d.refunds,
    files: d.files,
    bus,
    clock,
    business: config.business,
    logger: logger.child({ module: 'complaints' }),
  });
  const parts: ModuleParts = { routes: complaintsRoutes(service, (ids) => d.files.refs(ids)), jobs: [] };
  return { service, ...parts };
}
