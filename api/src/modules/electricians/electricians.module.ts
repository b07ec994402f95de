import type { ModuleParts, Platform } from '../../shared/module';
import type { FilesService } from '../files';
import type { AccountDeletion, UserProfiles, ElectricianAccounts } from '../users';
import { createIdCardCipher, type IdCardCipher } from './id-card';
import { createElectriciansRepository } from './electricians.repository';
import { electriciansRoutes } from './electricians.routes';
import { createElectriciansService } from './electricians.service';
import type { ElectriciansPorts } from './index';

/** Electricians: applications and their review, profiles, availability, and the ports orders, dispatch, payments and realtime use. */
export function electriciansModule(
  p: Platform,
  d: { users: UserProfiles & ElectricianAccounts; files: FilesService; deletion: AccountDeletion },
) {
  const { db, clock, bus } = p;
  const repository = createElectriciansRepository(db, d.users);
  const idCards: IdCardCipher = createIdCardCipher(p.config.idCardKey);
  const service = createElectriciansService({
    db,
    electricians: repository,
    users: d.users,
    files: d.files,
    idCards,
    bus,
    clock,
  });
  // Deletion locks the profile before anything else is read, and erases it with the account.
  d.deletion.lockElectrician((userId, trx) => repository.lockByUserId(userId, trx));
  d.deletion.erase(async (party, _openid, now, trx) => {
    if (party.electricianId !== null) await repository.erase(party.electricianId, now, trx);
  });
  const parts: ModuleParts = { routes: electriciansRoutes(service), jobs: [] };
  const ports: ElectriciansPorts = repository;
  return { service, ...parts, idCards, ports };
}
