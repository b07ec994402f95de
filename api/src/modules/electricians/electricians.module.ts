import { batched } from '../../shared/batched';
import type { Broadcast } from '../../shared/broadcast';
import { createHeldReads } from '../../shared/held-reads';
import type { ModuleParts, Platform } from '../../shared/module';
import type { FilesService } from '../files';
import type { AccountDeletion, UserProfiles, ElectricianAccounts } from '../users';
import { createIdCardCipher, type IdCardCipher } from './id-card';
import { createElectriciansRepository, type Electrician } from './electricians.repository';
import { electriciansRoutes } from './electricians.routes';
import { createElectriciansService } from './electricians.service';
import type { ElectriciansPorts } from './index';

/** The channel on which an instance tells every instance to forget a user's held profile (the message: the user id). */
const HELD_CHANNEL = 'electricians:forget';

/** Electricians: applications and their review, profiles, availability, and the ports orders, dispatch, payments and realtime use. */
export function electriciansModule(
  p: Platform,
  d: { users: UserProfiles & ElectricianAccounts; files: FilesService; deletion: AccountDeletion; broadcast: Broadcast },
) {
  const { db, clock, bus, logger } = p;
  const repository = createElectriciansRepository(db, d.users);
  // The profiles the hall reads, held per instance (SESSION_CACHE_MS) and forgotten on every
  // instance when one changes through the platform: the owner's edit or application, a decision,
  // the account's deletion. What a cut-off instance missed, it drops when Redis is back.
  const held = createHeldReads<Electrician | undefined>({ clock, maxAgeMs: p.config.sessionCacheMs });
  d.broadcast.subscribe(
    HELD_CHANNEL,
    (message) => held.forget(Number(message)),
    () => held.clear(),
  );
  const publishForget = (userId: number) => d.broadcast.publish(HELD_CHANNEL, String(userId));
  bus.subscribe('electrician.verified', (e) => publishForget(e.userId));
  bus.subscribe('session.ended', (e) => (e.reason === 'deleted' ? publishForget(e.userId) : undefined));
  // An edit is not a staged event: when Redis refuses the message, this instance has forgotten it
  // and the others see the change when their copy expires.
  const forgetHeld = (userId: number) =>
    publishForget(userId).catch((err: unknown) => logger.warn({ err, userId }, 'other instances not told of a profile change'));
  const idCards: IdCardCipher = createIdCardCipher(p.config.idCardKey);
  const service = createElectriciansService({
    db,
    electricians: repository,
    users: d.users,
    files: d.files,
    idCards,
    bus,
    clock,
    forgetHeld,
  });
  // Deletion locks the profile before anything else is read, and erases it with the account.
  d.deletion.lockElectrician((userId, trx) => repository.lockByUserId(userId, trx));
  d.deletion.erase(async (party, _openid, now, trx) => {
    if (party.electricianId !== null) await repository.erase(party.electricianId, now, trx);
  });
  const parts: ModuleParts = { routes: electriciansRoutes(service), jobs: [] };
  // Profiles read for many users at once (after a restart, every electrician's first hall page) go in one query.
  const byUser = batched(async (userIds: number[]) => {
    const rows = await repository.findByUserIds(userIds);
    return new Map(rows.map((e) => [e.userId, e]));
  });
  const ports: ElectriciansPorts = {
    ...repository,
    heldByUserId: (userId) => held.read(userId, 'profile', async () => (await byUser([userId])).get(userId)),
  };
  return { service, ...parts, idCards, ports };
}
