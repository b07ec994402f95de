import type { ModuleParts, Platform } from '../../shared/module';
import type { AccountDeletion, AccountLocks } from '../users';
import { createAddressesRepository } from './addresses.repository';
import { addressesRoutes } from './addresses.routes';
import { createAddressesService } from './addresses.service';

/** The address book: its routes, and the contact and place of an entry for a new order. */
export function addressesModule(p: Platform, d: { users: AccountLocks; deletion: AccountDeletion }) {
  const service = createAddressesService({
    db: p.db,
    addresses: createAddressesRepository(p.db),
    lockOwner: (userId, trx) => d.users.lockLive(userId, trx),
    clock: p.clock,
  });
  d.deletion.erase((party, _openid, _now, trx) => service.eraseAll(party.customerId, trx));
  const parts: ModuleParts = { routes: addressesRoutes(service), jobs: [] };
  return { service, ...parts };
}
