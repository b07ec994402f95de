import type { Config } from '../../config';
import { limiter, perUser, type RateLimits } from '../../shared/rate-limit';
import type { RouteDef } from '../../shared/routing';
import { createFilesController, filesRequests } from './files.controller';
import { uploadForm, uploadResult, uploadView } from './files.schemas';
import type { FilesService } from './files.service';
import { receiveUpload } from './multipart';

export function filesRoutes(service: FilesService, storage: Config['storage'], limits: RateLimits): RouteDef[] {
  const c = createFilesController(service);
  const tags = ['Files'];
  return [
    // --- uploads (signed-in users)
    {
      method: 'post',
      path: '/api/uploads',
      summary:
        'Upload an image (multipart: file, purpose); JPEG, PNG or WebP by content, at most MAX_UPLOAD_MB. Purpose invoice: staff with finance.invoices only (else 403), and a PDF is accepted too',
      tags,
      auth: 'user',
      staff: 'self',
      // The limit runs before multer, so a limited client's body is never written to disk.
      before: [limiter(limits, 'uploads', { key: perUser }), receiveUpload(storage)],
      multipart: uploadForm,
      response: uploadResult,
      status: 201,
      handler: c.upload,
    },
    {
      method: 'get',
      path: '/api/uploads/:id',
      summary: 'One of my uploads (admins: any), with a fresh signed URL',
      tags,
      auth: 'user',
      staff: [
        'orders.read',
        'electricians.read',
        'complaints.read',
        'reviews.moderate',
        'chat.service',
        'users.read',
        'finance.invoices',
      ],
      schemas: filesRequests.get,
      response: uploadView,
      handler: c.get,
    },
    // --- file bytes: the signed URL is the credential (the mini-program's <image> sends no Authorization)
    {
      method: 'get',
      path: '/api/files/:id',
      summary: 'The bytes of a locally stored upload (or a redirect to COS); 403 for a bad or expired signature',
      tags,
      auth: 'public',
      schemas: filesRequests.file,
      handler: c.file,
    },
  ];
}
