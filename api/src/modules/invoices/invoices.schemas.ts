import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { isCreditCode } from './credit-code';

export const INVOICE_STATUSES = ['requested', 'issued', 'rejected'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const TITLE_TYPES = ['personal', 'company'] as const;
export type TitleType = (typeof TITLE_TYPES)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/** A form's blank optional field (an empty input) is the same as leaving it out. */
const blankless = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * A request for an invoice (SPEC 3.12). A company title needs its 统一社会信用代码 as `taxNumber`
 * (upper-cased here, so a code typed in lower case is accepted); a personal title has none, and
 * one sent with a personal title is refused rather than dropped, so the customer learns that the
 * invoice will not carry it.
 */
export const requestInvoiceBody = z
  .strictObject({
    titleType: z.enum(TITLE_TYPES).meta({ description: 'personal 个人 | company 单位' }),
    title: text(1, 100).meta({ description: '发票抬头：个人姓名或单位全称，至多 100 字' }),
    taxNumber: blankless(
      z
        .string()
        .trim()
        .transform((v) => v.toUpperCase())
        .pipe(z.string().refine(isCreditCode, '税号应为 18 位统一社会信用代码，请核对（校验位不符）')),
    ).meta({ description: '单位税号：18 位统一社会信用代码（GB 32100-2015，含校验位）；个人抬头不填' }),
    email: blankless(z.string().trim().max(100).pipe(z.email('邮箱格式不正确'))).meta({
      description: '接收电子发票的邮箱（仅保存，不在此发送邮件）',
    }),
  })
  .superRefine((b, ctx) => {
    if (b.titleType === 'company' && b.taxNumber === undefined)
      ctx.addIssue({ code: 'custom', path: ['taxNumber'], message: '单位抬头需要填写税号（统一社会信用代码）' });
    if (b.titleType === 'personal' && b.taxNumber !== undefined)
      ctx.addIssue({ code: 'custom', path: ['taxNumber'], message: '个人抬头不需要税号' });
  });
export type RequestInvoice = z.infer<typeof requestInvoiceBody>;

export const myInvoicesQuery = paginationQuery;

export const adminInvoicesQuery = paginationQuery.extend({
  status: z.enum(INVOICE_STATUSES).optional(),
  orderId: z.coerce.number().int().positive().optional(),
});
export type AdminInvoicesQuery = z.infer<typeof adminInvoicesQuery>;

export const issueBody = z.strictObject({
  invoiceNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, '发票号码为 6–40 位字母、数字或连字符')
    .meta({ description: '发票号码（数电发票 20 位，纸质/电子普票 8 位等）' }),
  fileUploadId: z
    .number()
    .int()
    .positive()
    .meta({ description: 'The invoice file: my own upload of purpose invoice (PDF or image)' }),
});
export type IssueInvoice = z.infer<typeof issueBody>;

export const rejectBody = z.strictObject({ reason: text(1, 255) });

export const invoiceView = z
  .object({
    id: z.number().int(),
    orderId: z.number().int(),
    orderNo: z.string(),
    titleType: z.enum(TITLE_TYPES),
    title: z.string(),
    taxNumber: z.string().nullable(),
    email: z.string().nullable(),
    amount: z.number().int().meta({ description: 'fen: what was paid less refunds when requested (recomputed when issued)' }),
    status: z.enum(INVOICE_STATUSES),
    invoiceNo: z.string().nullable(),
    fileUrl: z.string().nullable().meta({ description: 'issued: the invoice file, signed and expiring' }),
    fileMime: z.string().nullable().meta({ description: 'application/pdf or an image type' }),
    rejectReason: z.string().nullable(),
    createdAt: z.string(),
    issuedAt: z.string().nullable(),
    rejectedAt: z.string().nullable(),
  })
  .meta({ id: 'Invoice' });

export const adminInvoiceView = invoiceView
  .extend({
    userId: z.number().int().meta({ description: 'the customer' }),
    fileUploadId: z.number().int().nullable(),
    decidedBy: z.number().int().nullable().meta({ description: 'the staff member who issued or rejected it' }),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminInvoice' });
