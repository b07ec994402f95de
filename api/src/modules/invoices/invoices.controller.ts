import type { Request } from 'express';
import type { z } from 'zod';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { FilesService } from '../files';
import type { OrderNumbers } from '../orders';
import type { Invoice } from './invoices.repository';
import {
  adminInvoicesQuery,
  type adminInvoiceView,
  idParams,
  type invoiceView,
  issueBody,
  myInvoicesQuery,
  rejectBody,
  requestInvoiceBody,
} from './invoices.schemas';
import type { InvoicesService } from './invoices.service';

export const invoicesRequests = {
  request: { params: idParams, body: requestInvoiceBody },
  mine: { query: myInvoicesQuery },
  byId: { params: idParams },
  adminList: { query: adminInvoicesQuery },
  issue: { params: idParams, body: issueBody },
  reject: { params: idParams, body: rejectBody },
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

type View = z.infer<typeof invoiceView>;
type AdminView = z.infer<typeof adminInvoiceView>;

export function createInvoicesController(
  s: InvoicesService,
  d: { orders: Pick<OrderNumbers, 'orderNos'>; files: Pick<FilesService, 'refs'> },
) {
  const r = invoicesRequests;

  /**
   * The views of invoices: their order numbers, and for issued ones a fresh signed URL of the
   * file. Only callers allowed to see the invoice get here (its customer, finance staff), and the
   * file is theirs to download with it.
   */
  async function viewsOf(list: Invoice[]): Promise<AdminView[]> {
    const [nos, files] = await Promise.all([
      d.orders.orderNos([...new Set(list.map((i) => i.orderId))]),
      d.files.refs(list.flatMap((i) => (i.status === 'issued' && i.fileUploadId !== null ? [i.fileUploadId] : []))),
    ]);
    const fileById = new Map(files.map((f) => [f.id, f]));
    return list.map((i) => {
      const file = i.status === 'issued' && i.fileUploadId !== null ? fileById.get(i.fileUploadId) : undefined;
      return {
        id: i.id,
        orderId: i.orderId,
        orderNo: nos.get(i.orderId) ?? '',
        titleType: i.titleType,
        title: i.title,
        taxNumber: i.taxNumber,
        email: i.email,
        amount: i.amount,
        status: i.status,
        invoiceNo: i.invoiceNo,
        fileUrl: file?.url ?? null,
        fileMime: file?.mime ?? null,
        rejectReason: i.rejectReason,
        createdAt: i.createdAt.toISOString(),
        issuedAt: iso(i.issuedAt),
        rejectedAt: iso(i.rejectedAt),
        userId: i.userId,
        fileUploadId: i.fileUploadId,
        decidedBy: i.decidedBy,
        updatedAt: i.updatedAt.toISOString(),
      };
    });
  }
  /** The customer's view leaves out what is the books' (who decided, the upload's id). */
  const customerView = ({ userId: _u, fileUploadId: _f, decidedBy: _d, updatedAt: _t, ...v }: AdminView): View => v;
  const adminOne = async (i: Invoice) => (await viewsOf([i]))[0]!;
  const one = async (i: Invoice) => customerView(await adminOne(i));

  return {
    request: async (req: Request) => {
      const { params, body } = valid(req, r.request);
      return one(await s.request(principal(req), params.id, body));
    },
    mine: async (req: Request) => {
      const page = await s.mine(principal(req), valid(req, r.mine).query);
      return paged({ ...page, items: (await viewsOf(page.items)).map(customerView) });
    },
    get: async (req: Request) => one(await s.get(principal(req), valid(req, r.byId).params.id)),
    adminList: async (req: Request) => {
      const page = await s.list(valid(req, r.adminList).query);
      return paged({ ...page, items: await viewsOf(page.items) });
    },
    issue: async (req: Request) => {
      const { params, body } = valid(req, r.issue);
      return adminOne(await s.issue(principal(req), params.id, body));
    },
    reject: async (req: Request) => {
      const { params, body } = valid(req, r.reject);
      return adminOne(await s.reject(principal(req), params.id, body.reason));
    },
  };
}
