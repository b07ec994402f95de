import type { Db } from '../db';
import type { Storage } from '../integrations/storage/storage';
import { DAY, type Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { orphanUploads } from '../modules/files';

export interface UploadsCleanupDeps {
  db: Db;
  storage: Storage;
  clock: Clock;
  logger: Logger;
}

/**
 * Deletes uploads that nothing attached within `olderThanMs` (a day): photos picked for an order
 * that was never placed, and the like. Idempotent and safe to run from several processes.
 *
 * Each upload goes in one transaction: the conditional delete (`attached_at is null`) first, which
 * also locks the row on MySQL, then the stored object. An attach racing with it either wins (the
 * delete matches nothing and the object stays) or waits and finds the upload gone; if removing the
 * object fails, the row comes back and the next run retries. So no attached upload ever loses its
 * bytes and no object is forgotten. Returns how many uploads were removed.
 */
export async function cleanupOrphanUploads(
  deps: UploadsCleanupDeps,
  options: { olderThanMs?: number; batch?: number } = {},
): Promise<number> {
  const { db, storage, clock, logger } = deps;
  const olderThanMs = options.olderThanMs ?? DAY;
  const batch = options.batch ?? 100;
  const uploads = orphanUploads(db);
  const log = logger.child({ job: 'uploads-cleanup' });
  const cutoff = new Date(clock.now().getTime() - olderThanMs);

  let removed = 0;
  let afterId = 0;
  for (;;) {
    const orphans = await uploads.findOrphans(cutoff, afterId, batch);
    if (orphans.length === 0) break;
    afterId = orphans[orphans.length - 1]!.id;
    for (const u of orphans) {
      if (u.storage !== storage.driver) {
        log.warn({ uploadId: u.id, storage: u.storage }, 'orphan upload kept: its storage is not the configured one');
        continue;
      }
      try {
        const deleted = await db.transaction(async (trx) => {
          if (!(await uploads.deleteIfUnattached(u.id, trx))) return false;
          await storage.delete(u.key);
          return true;
        });
        if (deleted) removed += 1;
      } catch (err) {
        log.error({ err, uploadId: u.id, key: u.key }, 'could not remove an orphan upload; will retry on the next run');
      }
    }
    if (orphans.length < batch) break;
  }
  if (removed > 0) log.info({ removed }, 'orphan uploads removed');
  return removed;
}
