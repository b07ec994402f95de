/** What other modules may use of files (the rest is its own). */
import type { Db } from '../../db';
import { createFilesRepository, type FilesRepository } from './files.repository';

export type { FilesService } from './files.service';

/** The orphan-upload sweep's view of `uploads` (the uploads-cleanup job): find orphans, delete one if still unattached. */
export type OrphanUploads = Pick<FilesRepository, 'findOrphans' | 'deleteIfUnattached'>;
export const orphanUploads = (db: Db): OrphanUploads => createFilesRepository(db);

/** Signed URLs of uploads by id (an order's photos, an avatar), batched. */
export type ImageRefs = (ids: number[]) => Promise<{ id: number; url: string }[]>;
