import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';
import type { InvoiceStatus, TitleType } from './invoices.schemas';

export interface Invoice {
  id: number;
  orderId: number;
  userId: number;
  titleType: TitleType;
  title: string;
  taxNumber: string | null;
  email: string | null;
  amount: number;
  status: InvoiceStatus;
  invoiceNo: string | null;
  fileUploadId: number | null;
  rejectReason: string | null;
  decidedBy: number | null;
  issuedAt: Date | null;
  rejectedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewInvoice {
  orderId: number;
  userId: number;
  titleType: TitleType;
  title: string;
  taxNumber: string | null;
  email: string | null;
  amount: number;
}

/** What a decision sets beside the status. */
export interface InvoicePatch {
  amount?: number;
  invoiceNo?: string;
  fileUploadId?: number;
  rejectReason?: string;
  decidedBy?: number;
  issuedAt?: Date;
  rejectedAt?: Date;
}

const PATCH_COLUMNS: Record<keyof InvoicePatch, string> = {
  amount: 'amount',
  invoiceNo: 'invoice_no',
  fileUploadId: 'file_upload_id',
  rejectReason: 'reject_reason',
  decidedBy: 'decided_by',
  issuedAt: 'issued_at',
  rejectedAt: 'rejected_at',
};

export interface InvoiceFilter {
  userId?: number;
  status?: InvoiceStatus;
  orderId?: number;
  offset: number;
  limit: number;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function mapInvoice(r: Row): Invoice {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    userId: Number(r.user_id),
    titleType: r.title_type as TitleType,
    title: String(r.title),
    taxNumber: str(r.tax_number),
    email: str(r.email),
    amount: Number(r.amount),
    status: r.status as InvoiceStatus,
    invoiceNo: str(r.invoice_no),
    fileUploadId: num(r.file_upload_id),
    rejectReason: str(r.reject_reason),
    decidedBy: num(r.decided_by),
    issuedAt: toDate(r.issued_at),
    rejectedAt: toDate(r.rejected_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

/** Statuses that hold the order's invoice slot (`open_order_id`): a rejected request frees it. */
const HOLDS_SLOT: readonly InvoiceStatus[] = ['requested', 'issued'];

/** Invoices (`invoices`). */
export function createInvoicesRepository(db: Db) {
  return {
    async findById(id: number, trx: Conn = db): Promise<Invoice | undefined> {
      const r = await trx('invoices').where({ id }).first();
      return r ? mapInvoice(r) : undefined;
    },

    /** The order's requested or issued invoice, if any. */
    async findOpenForOrder(orderId: number, trx: Conn = db): Promise<Invoice | undefined> {
      const r = await trx('invoices').where({ open_order_id: orderId }).first();
      return r ? mapInvoice(r) : undefined;
    },

    /**
     * Inserts a requested invoice holding the order's slot; throws a unique violation when the
     * order has a requested or issued invoice already (a concurrent request included).
     */
    async insert(i: NewInvoice, now: Date, trx: Conn = db): Promise<number> {
      return insertId(trx, 'invoices', {
        order_id: i.orderId,
        user_id: i.userId,
        open_order_id: i.orderId,
        title_type: i.titleType,
        title: i.title,
        tax_number: i.taxNumber,
        email: i.email,
        amount: i.amount,
        status: 'requested',
        created_at: now,
        updated_at: now,
      });
    },

    /**
     * Moves an invoice from `from` to `to` with the patch, only while it is still in `from`;
     * whether it moved. Leaving the slot-holding statuses frees the order's slot. Throws a unique
     * violation when the patch's invoice number is another invoice's.
     */
    async transition(
      id: number,
      from: InvoiceStatus,
      to: InvoiceStatus,
      patch: InvoicePatch,
      now: Date,
      trx: Conn,
    ): Promise<boolean> {
      const set: Row = { status: to, updated_at: now };
      for (const [key, value] of Object.entries(patch))
        if (value !== undefined) set[PATCH_COLUMNS[key as keyof InvoicePatch]] = value;
      if (!HOLDS_SLOT.includes(to)) set.open_order_id = null;
      const n = await trx('invoices').where({ id, status: from }).update(set);
      return n === 1;
    },

    async list(f: InvoiceFilter): Promise<{ items: Invoice[]; total: number }> {
      const base = db('invoices').modify((q) => {
        if (f.userId !== undefined) q.where('user_id', f.userId);
        if (f.status) q.where('status', f.status);
        if (f.orderId !== undefined) q.where('order_id', f.orderId);
      });
      const [rows, [{ n }]] = await Promise.all([
        base.clone().orderBy('id', 'desc').offset(f.offset).limit(f.limit),
        base.clone().count({ n: '*' }) as unknown as Promise<[{ n: number | string }]>,
      ]);
      return { items: (rows as Row[]).map(mapInvoice), total: Number(n) };
    },

    /**
     * A deleted account's invoices stay for the books (SPEC 3.12, like its payments): requests
     * not yet issued are closed as rejected (no one is left to receive them), the e-mail address
     * is erased, and a personal title — the person's name — is replaced. A company's name and tax
     * number are the company's, not the person's, and stay.
     */
    async anonymiseCustomer(userId: number, reason: string, now: Date, trx: Conn): Promise<void> {
      await trx('invoices')
        .where({ user_id: userId, status: 'requested' })
        .update({ status: 'rejected', reject_reason: reason, rejected_at: now, open_order_id: null, updated_at: now });
      await trx('invoices').where({ user_id: userId }).update({ email: null, updated_at: now });
      await trx('invoices').where({ user_id: userId, title_type: 'personal' }).update({ title: '已注销用户' });
    },
  };
}

export type InvoicesRepository = ReturnType<typeof createInvoicesRepository>;
