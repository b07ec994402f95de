import type { Storage } from '../../integrations/storage/storage';
import { cleanupOrphanUploads } from '../../jobs/uploads-cleanup';
import type { ModuleParts, Platform } from '../../shared/module';
import { createFilesRepository } from './files.repository';
import { filesRoutes } from './files.routes';
import { createFilesService } from './files.service';

/** Uploads: the upload and download routes, the service other modules attach files through, and the orphan sweep. */
export function filesModule(p: Platform, d: { storage: Storage }) {
  const { db, clock, logger, config } = p;
  const service = createFilesService({
    db,
    uploads: createFilesRepository(db),
    storage: d.storage,
    clock,
    logger,
    secret: config.jwtSecret,
  });
  const parts: ModuleParts = {
    routes: filesRoutes(service, config.storage, p.rateLimits),
    jobs: [
      {
        name: 'uploads.cleanup',
        intervalMs: 60 * 60_000,
        run: () => cleanupOrphanUploads({ db, storage: d.storage, clock, logger }),
      },
    ],
  };
  return { service, ...parts };
}
