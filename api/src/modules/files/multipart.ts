import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError, validationFailed, zodDetails } from '../../shared/errors';
import { uploadFields } from './files.schemas';

/** Where multer streams uploads before they are checked; under UPLOAD_ROOT so it is the same disk. */
export const incomingDir = (uploadRoot: string) => path.join(path.resolve(uploadRoot), '.incoming');

/** Removes the request's temp file, if multer wrote one; safe to call more than once. */
export async function discardReceived(req: Request): Promise<void> {
  if (req.file?.path) await fs.promises.rm(req.file.path, { force: true });
}

function fromMulter(err: unknown, maxUploadMb: number): unknown {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new AppError('PAYLOAD_TOO_LARGE', 413, `图片不能超过 ${maxUploadMb} MB`);
    return validationFailed([{ path: ['body', err.field ?? 'file'], code: err.code, message: err.message }], '上传表单不正确');
  }
  // Disk errors (ENOSPC, EACCES…) are ours: let them be a 500. Anything else is a malformed form.
  if ((err as { syscall?: string }).syscall) return err;
  return validationFailed([{ path: ['body'], message: (err as Error).message }], '上传表单不正确');
}

/**
 * Receives one multipart image (field `file`) plus `purpose` into a temp file, enforcing the size
 * limit while streaming, and validates the form. Mounted only on the upload route, after the auth
 * guard and the rate limit. The temp file is removed on every path: multer removes it on its own
 * errors, this middleware on validation errors, the handler in its finally, and a response 'close'
 * hook catches anything else.
 */
export function receiveUpload(options: { uploadRoot: string; maxUploadMb: number }): RequestHandler {
  const dir = incomingDir(options.uploadRoot);
  const single = multer({
    storage: multer.diskStorage({
      // Created on first use, not at startup: an app that never receives an upload touches no disk.
      destination: (_req, _file, cb) => {
        fs.promises.mkdir(dir, { recursive: true }).then(
          () => cb(null, dir),
          (err: Error) => cb(err, dir),
        );
      },
      // multer's default name is random hex: the client's file name never reaches the disk.
    }),
    limits: { fileSize: Math.floor(options.maxUploadMb * 1024 * 1024), files: 1, fields: 5, fieldSize: 1024 },
  }).single('file');

  return (req, res, next) => {
    single(req, res, (err?: unknown) => {
      if (req.file) res.once('close', () => void discardReceived(req));
      if (err) return next(fromMulter(err, options.maxUploadMb));
      const parsed = uploadFields.safeParse({ ...req.body, file: req.file });
      if (!parsed.success) {
        const failure = validationFailed(zodDetails(parsed.error, ['body']));
        return void discardReceived(req).then(
          () => next(failure),
          () => next(failure),
        );
      }
      req.valid = { body: parsed.data };
      next();
    });
  };
}
