import type { Knex } from 'knex';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { conflict, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { FilesService } from '../files';
import type { Order, OrderReader } from '../orders';
import type { InvoicePayments } from '../payments';
import type { InvoiceChanged } from './invoices.events';
import type { Invoice, InvoicesRepository } from './invoices.repository';
import type { AdminInvoicesQuery, IssueInvoice, RequestInvoice } from './invoices.schemas';

export interface InvoicesDeps {
  db: Db;
  invoices: InvoicesRepository;
  orders: OrderReader;
  payments: InvoicePayments;
  files: Pick<FilesService, 'attach'>;
  bus: DomainBus;
  clock: Clock;
}

const invoiceNotFound = () => notFound('发票申请不存在');
const wrongState = (message: string) => conflict('INVALID_TRANSITION', message);
const invoiceExists = (open?: Invoice) =>
  conflict(
    'INVOICE_EXISTS',
    open?.status === 'issued' ? '该工单的发票已开具，请在“我的发票”中查看' : '该工单已有发票申请，请等待财务处理',
  );
const nothingToInvoice = () => conflict('NOTHING_TO_INVOICE', '该工单的款项已全部退回，没有可开票的金额');

/**
 * Invoices (SPEC 3.12): a customer asks for one on their paid order, for what was paid less
 * refunds; finance staff issue it (invoice number and file) or reject it. Every step is a
 * conditional update in one transaction with its event; "one open request per order" is the
 * table's unique slot, so concurrent requests settle in the database.
 */
export function createInvoicesService(d: InvoicesDeps) {
  const { db, invoices, clock, bus } = d;

  /** What the order's payment leaves to invoice (fen), read in the step's transaction. */
  async function invoiceableAmount(orderId: number, trx: Knex.Transaction): Promise<number | undefined> {
    const paid = await d.payments.invoiceable(orderId, trx);
    return paid && paid.paid - paid.refunded;
  }

  async function stage(trx: Knex.Transaction, name: InvoiceChanged['name'], i: Invoice, order: Order, actor: Principal) {
    await bus.stage(trx, {
      name,
      invoiceId: i.id,
      orderId: i.orderId,
      orderNo: order.orderNo,
      customerId: i.userId,
      status: i.status,
      amount: i.amount,
      invoiceNo: i.invoiceNo,
      reason: i.rejectReason,
      actor: { id: actor.id, role: name === 'invoice.requested' ? 'customer' : 'admin' },
      at: clock.now(),
    });
  }

  /** A staff decision on a requested invoice, in one transaction: `step` (the conditional move; it may refuse), then the event. */
  async function decide(
    staff: Principal,
    id: number,
    step: (i: Invoice, trx: Knex.Transaction, now: Date) => Promise<boolean>,
    name: InvoiceChanged['name'],
  ): Promise<Invoice> {
    return db.transaction(async (trx) => {
      const i = await invoices.findById(id, trx);
      if (!i) throw invoiceNotFound();
      if (i.status !== 'requested') throw wrongState(i.status === 'issued' ? '该发票已开具' : '该发票申请已驳回');
      // Another decision may have come first between the read and the update.
      if (!(await step(i, trx, clock.now()))) throw wrongState('该发票申请已被处理，请刷新后重试');
      const after = (await invoices.findById(id, trx))!;
      await stage(trx, name, after, (await d.orders.findById(after.orderId, trx))!, staff);
      return after;
    });
  }

  return {
    /**
     * The customer's request for their paid order: 404 for an order that is not theirs, 409
     * INVALID_TRANSITION while it is unpaid, NOTHING_TO_INVOICE when all of it was refunded,
     * INVOICE_EXISTS while a request is open or an invoice was issued.
     */
    async request(p: Principal, orderId: number, body: RequestInvoice): Promise<Invoice> {
      return db.transaction(async (trx) => {
        const order = await d.orders.findById(orderId, trx);
        if (!order || order.userId !== p.id) throw notFound('工单不存在');
        if (order.paymentStatus === 'unpaid') throw wrongState('工单支付后才能申请发票');
        const amount = await invoiceableAmount(orderId, trx);
        if (amount === undefined) throw wrongState('工单支付后才能申请发票');
        if (amount <= 0) throw nothingToInvoice();
        const open = await invoices.findOpenForOrder(orderId, trx);
        if (open) throw invoiceExists(open);
        let id: number;
        try {
          id = await invoices.insert(
            {
              orderId,
              userId: p.id,
              titleType: body.titleType,
              title: body.title,
              taxNumber: body.taxNumber ?? null,
              email: body.email ?? null,
              amount,
            },
            clock.now(),
            trx,
          );
        } catch (err) {
          // A concurrent request for the same order took the slot first.
          if (isUniqueViolation(err)) throw invoiceExists();
          throw err;
        }
        const created = (await invoices.findById(id, trx))!;
        await stage(trx, 'invoice.requested', created, order, p);
        return created;
      });
    },

    async mine(p: Principal, q: PageQuery): Promise<Page<Invoice>> {
      const { items, total } = await invoices.list({ userId: p.id, offset: offsetOf(q), limit: q.limit });
      return { items, total, page: q.page, limit: q.limit };
    },

    /** The caller's own invoice; anyone else's is 404. */
    async get(p: Principal, id: number): Promise<Invoice> {
      const i = await invoices.findById(id);
      if (!i || i.userId !== p.id) throw invoiceNotFound();
      return i;
    },

    async list(q: AdminInvoicesQuery): Promise<Page<Invoice>> {
      const { items, total } = await invoices.list({ status: q.status, orderId: q.orderId, offset: offsetOf(q), limit: q.limit });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * Issues a requested invoice with its number and file (the issuer's own upload of purpose
     * invoice, attached to it). The amount is taken again from the payment, so a refund made
     * since the request is not invoiced; all of it refunded: 409 NOTHING_TO_INVOICE (reject it).
     */
    async issue(staff: Principal, id: number, body: IssueInvoice): Promise<Invoice> {
      return decide(
        staff,
        id,
        async (i, trx, now) => {
          const amount = await invoiceableAmount(i.orderId, trx);
          if (amount === undefined || amount <= 0) throw nothingToInvoice();
          let moved: boolean;
          try {
            moved = await invoices.transition(
              i.id,
              'requested',
              'issued',
              { amount, invoiceNo: body.invoiceNo, fileUploadId: body.fileUploadId, decidedBy: staff.id, issuedAt: now },
              now,
              trx,
            );
          } catch (err) {
            if (isUniqueViolation(err)) throw conflict('INVOICE_NO_EXISTS', '该发票号码已用于其他发票，请核对');
            throw err;
          }
          if (moved)
            await d.files.attach(staff.id, [body.fileUploadId], 'invoice', { type: 'invoice', id: i.id }, trx, 'fileUploadId');
          return moved;
        },
        'invoice.issued',
      );
    },

    async reject(staff: Principal, id: number, reason: string): Promise<Invoice> {
      return decide(
        staff,
        id,
        (i, trx, now) =>
          invoices.transition(
            i.id,
            'requested',
            'rejected',
            { rejectReason: reason, decidedBy: staff.id, rejectedAt: now },
            now,
            trx,
          ),
        'invoice.rejected',
      );
    },
  };
}

export type InvoicesService = ReturnType<typeof createInvoicesService>;
