import { z } from 'zod';
import { UPLOAD_PURPOSES, type Upload } from './files.repository';

export const uploadPurpose = z.enum(UPLOAD_PURPOSES).meta({
  description:
    'order 报修照片 | repair 维修照片 | review 评价 | chat 聊天 | certificate 证书/证件 | avatar 头像 | complaint 投诉 | invoice 发票（仅有 finance.invoices 的员工；也接受 PDF）',
});

/** The multipart form, as documented (multer parses it; `uploadFields` validates it). */
export const uploadForm = z.object({
  file: z.string().meta({
    format: 'binary',
    description: 'JPEG, PNG or WebP (purpose invoice: or PDF), at most MAX_UPLOAD_MB; the type is read from the content',
  }),
  purpose: uploadPurpose,
});

/** The part of multer's file record the upload uses. */
export interface ReceivedFile {
  path: string;
  size: number;
  originalname: string;
}

/** The parsed form: multer's file (if any) beside the text fields. */
export const uploadFields = z.object({
  purpose: uploadPurpose,
  file: z.custom<ReceivedFile>((v) => typeof v === 'object' && v !== null, { message: '请选择要上传的图片（表单字段 file）' }),
});
export type UploadFields = z.infer<typeof uploadFields>;

export const uploadResult = z
  .object({
    id: z.number().int(),
    url: z.string().meta({ description: 'Signed and expiring (at least an hour); relative URLs are under the API base' }),
    sha256: z.string(),
    size: z.number().int(),
    mime: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    width: z.number().int().nullable().meta({ description: 'null for a PDF' }),
    height: z.number().int().nullable(),
    deduplicated: z.boolean().meta({ description: 'true when this user had already uploaded these bytes for this purpose' }),
  })
  .meta({ id: 'UploadResult' });

export const uploadView = z
  .object({
    id: z.number().int(),
    url: z.string(),
    purpose: uploadPurpose,
    mime: z.string(),
    size: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Upload' });

export function toUploadView(u: Upload & { url: string }): z.infer<typeof uploadView> {
  return {
    id: u.id,
    url: u.url,
    purpose: u.purpose,
    mime: u.mime,
    size: u.size,
    width: u.width,
    height: u.height,
    createdAt: u.createdAt.toISOString(),
  };
}

export const uploadIdParams = z.object({ id: z.coerce.number().int().positive() });

/** Lenient on purpose: a missing or malformed signature is a 403 from the signature check, not a 400. */
export const fileQuery = z.object({
  exp: z.string().optional().meta({ description: 'Expiry, unix seconds' }),
  sig: z.string().optional().meta({ description: 'base64url HMAC-SHA256 of "<id>.<exp>"' }),
});
