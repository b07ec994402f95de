/** What other modules may use of files (the rest is its own). */
import type { Db } from '../../db';
import { createFilesRepository, type FilesRepository } from './files.repository';

export type { FilesService } from './files.service';

/** The orphan-upload sweep's view of `uploads` (the uploads-cleanup job): find orphans, delete one if still unattached. */
export type OrphanUploads = Pick<FilesRepository, 'findOrphans' | 'deleteIfUnattached'>;
export const orphanUploads = (db: Db): OrphanUploads => createFilesRepository(db);
