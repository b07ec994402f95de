/** What other modules may use of files (the rest is its own). */
export type { FilesService } from './files.service';
