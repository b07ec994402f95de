import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { principal } from '../../shared/auth';
import { valid } from '../../shared/validate';
import type { FilesService } from './files.service';
import { fileQuery, toUploadView, uploadFields, uploadIdParams } from './files.schemas';
import { discardReceived } from './multipart';

export const filesRequests = {
  /** Validated by receiveUpload (multipart), not by the route table's JSON validation. */
  upload: { body: uploadFields },
  get: { params: uploadIdParams },
  file: { params: uploadIdParams, query: fileQuery },
};

export function createFilesController(files: FilesService) {
  return {
    upload: async (req: Request) => {
      try {
        const { purpose, file } = valid(req, filesRequests.upload).body;
        return await files.uploadAs(principal(req), purpose, {
          path: file.path,
          originalName: file.originalname,
          size: file.size,
        });
      } finally {
        await discardReceived(req);
      }
    },

    get: async (req: Request) => toUploadView(await files.get(principal(req), valid(req, filesRequests.get).params.id)),

    /** Streams a local file, or redirects to COS; the signature in the query is the credential. */
    file: async (req: Request, res: Response) => {
      const { params, query } = valid(req, filesRequests.file);
      const delivery = await files.deliver(params.id, query.exp, query.sig);
      if (delivery.kind === 'redirect') {
        res.set('Cache-Control', 'no-store').redirect(302, delivery.url);
        return;
      }
      const { upload, stream, size, maxAgeSeconds } = delivery;
      const etag = `"${upload.sha256}"`;
      res.set({
        'Cache-Control': `private, max-age=${maxAgeSeconds}`,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
        // The signed URL is meant to be embedded (the admin console, web views) wherever it is handed out.
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
      if (req.headers['if-none-match'] === etag) {
        stream.destroy();
        res.status(304).end();
        return;
      }
      res.status(200).type(upload.mime).set('Content-Length', String(size));
      // A PDF (an invoice) is saved, not rendered on the API's origin, where a script inside it could run.
      if (upload.mime === 'application/pdf') res.attachment(`invoice-${upload.id}.pdf`);
      try {
        await pipeline(stream, res);
      } catch (err) {
        // A client that goes away mid-download is not a server error.
        if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
      }
    },
  };
}
