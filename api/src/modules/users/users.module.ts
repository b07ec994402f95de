import type { Knex } from 'knex';
import type { ModuleParts, Platform } from '../../shared/module';
import { authSessions } from '../auth';
import type { UsersPorts } from './index';
import type { FilesService } from '../files';
import { createUsersRepository } from './users.repository';
import { usersRoutes } from './users.routes';
import { createUsersService, type AccountDeletionPorts, type AccountParty } from './users.service';

/**
 * How the modules holding an account's other data take part in its deletion (注销), each inside the
 * deletion's transaction: the electricians module locks the profile first, a module with open
 * business (an active order, an open complaint) says why the account is busy, and each module
 * erases or anonymises its rows. Each module registers its own part when it is built.
 */
export interface AccountDeletion {
  lockElectrician(lock: AccountDeletionPorts['lockElectrician']): void;
  busyWhen(check: (party: AccountParty, trx: Knex.Transaction) => Promise<string | null>): void;
  erase(eraser: (party: AccountParty, deletedOpenid: string, now: Date, trx: Knex.Transaction) => Promise<unknown>): void;
}

/** Accounts: the profile routes, account deletion, and the ports through which other modules read and change accounts. */
export function usersModule(p: Platform, d: { files: FilesService }) {
  const { db, clock, bus } = p;
  const sessions = authSessions(db);
  const repository = createUsersRepository(db, sessions);
  const account: AccountDeletionPorts = {
    lockElectrician: async () => undefined,
    busyChecks: [],
    erasers: [],
  };
  const deletion: AccountDeletion = {
    lockElectrician: (lock) => {
      account.lockElectrician = lock;
    },
    busyWhen: (check) => account.busyChecks.push(check),
    erase: (eraser) => account.erasers.push(eraser),
  };
  const service = createUsersService({ db, users: repository, sessions, files: d.files, clock, bus, account });
  const parts: ModuleParts = { routes: usersRoutes(service), jobs: [] };
  const ports: UsersPorts = repository;
  return { service, ...parts, deletion, ports };
}
