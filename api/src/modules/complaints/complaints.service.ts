import type { Knex } from 'knex';
import type { Config } from '../../config';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import { DAY, type Clock } from '../../shared/clock';
import type { Actor, ComplaintChanged, DomainBus } from '../../shared/domain-events';
import { conflict, forbidden, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { hasPermission } from '../../shared/permissions';
import type { ElectricianReader } from '../electricians';
import type { OrderReader, ReworkPort } from '../orders';
import type { RefundsPort } from '../payments';
import type { Complaint, ComplaintEvent, ComplaintPatch, ComplaintsRepository } from './complaints.repository';
import type { ComplaintAction, ComplaintLevel, ComplaintStatus, ComplaintType, ResolveBody } from './complaints.schemas';

/** What complaints need from Files (the files module's service satisfies it). */
export interface ComplaintFiles {
  attach(
    ownerId: number,
    ids: number[],
    purpose: 'complaint',
    resource: { type: string; id: number },
    trx?: Knex.Transaction,
    field?: string,
  ): Promise<void>;
}

export interface ComplaintsDeps {
  db: Db;
  complaints: ComplaintsRepository;
  orders: OrderReader;
  electricians: ElectricianReader;
  ordersService: ReworkPort;
  payments: RefundsPort;
  files: ComplaintFiles;
  bus: DomainBus;
  clock: Clock;
  business: Config['business'];
  logger: Logger;
}

const NEXT_LEVEL: Record<ComplaintLevel, ComplaintLevel | null> = { normal: 'serious', serious: 'critical', critical: null };

const PUBLISHED: Partial<Record<ComplaintAction, ComplaintChanged['name']>> = {
  open: 'complaint.opened',
  message: 'complaint.messaged',
  reply: 'complaint.replied',
  escalate: 'complaint.escalated',
  resolve: 'complaint.resolved',
};

const complaintNotFound = () => notFound('投诉不存在');
const complaintClosed = () => conflict('COMPLAINT_CLOSED', '该投诉已处理完毕，不能再更改');

/** One step of a complaint that is still being handled: what changes and what the history records. */
interface Plan {
  action: ComplaintAction;
  set?: ComplaintPatch;
  content: string | null;
  images?: number[];
  details?: Record<string, unknown>;
  /** Work after commit that must not fail the request (sending a refund to WeChat Pay). */
  afterCommit?: () => Promise<void>;
}

export function createComplaintsService(d: ComplaintsDeps) {
  const { db, complaints, orders, bus, clock } = d;

  function changed(
    c: Complaint,
    eventId: number,
    action: ComplaintAction,
    content: string | null,
    actor: Actor,
    at: Date,
  ): ComplaintChanged | undefined {
    const name = PUBLISHED[action];
    if (!name) return undefined;
    return {
      name,
      complaintId: c.id,
      eventId,
      orderId: c.orderId,
      orderNo: c.orderNo,
      customerId: c.customerId,
      electricianUserId: c.electricianUserId,
      level: c.level,
      status: c.status,
      outcome: c.outcome,
      refundAmount: c.refundAmount,
      content,
      actor,
      at,
    };
  }

  function staffActor(p: Principal): Actor {
    return { id: p.id, role: 'admin' };
  }

  /**
   * Runs one step of a complaint that is still open or processing: the row is locked by a
   * conditional update first (so concurrent steps queue and a closed complaint is refused), then
   * the plan is made from the locked state, applied and recorded in the same transaction, with its
   * event staged (an order rework stages its own first). `afterCommit` runs after the commit.
   */
  async function advance(
    id: number,
    actor: Actor,
    plan: (c: Complaint, trx: Knex.Transaction, now: Date) => Promise<Plan>,
  ): Promise<Complaint> {
    const now = clock.now();
    let afterCommit: Plan['afterCommit'];
    const complaint = await db.transaction(async (trx) => {
      if (!(await complaints.findById(id, trx))) throw complaintNotFound();
      if (!(await complaints.lockOpen(id, now, trx))) throw complaintClosed();
      const current = (await complaints.findById(id, trx))!;
      const p = await plan(current, trx, now);
      if (p.set) await complaints.update(id, p.set, trx);
      const after = (await complaints.findById(id, trx))!;
      const eventId = await complaints.insertEvent(
        {
          complaintId: id,
          action: p.action,
          fromStatus: current.status,
          toStatus: after.status,
          level: after.level,
          actorId: actor.id,
          actorRole: actor.role === 'customer' ? 'customer' : actor.role === 'admin' ? 'admin' : 'system',
          content: p.content,
          images: p.images ?? [],
          details: p.details ?? {},
          createdAt: now,
        },
        trx,
      );
      const event = changed(after, eventId, p.action, p.content, actor, now);
      if (event) await bus.stage(trx, event);
      afterCommit = p.afterCommit;
      return after;
    });
    await afterCommit?.();
    return complaint;
  }

  /** The complaint for a viewer allowed to see it: its customer, its electrician, or staff who read complaints. */
  async function visible(p: Principal, id: number): Promise<Complaint> {
    const c = await complaints.findById(id);
    const staff = hasPermission(p, 'complaints.read');
    if (!c || (c.customerId !== p.id && c.electricianUserId !== p.id && !staff)) throw complaintNotFound();
    return c;
  }

  return {
    /** Whether settlement of the order's payment must wait (injected into the payments service). */
    hasOpenComplaint: (orderId: number) => complaints.hasOpen(orderId),

    /**
     * A customer complains about their own completed order within the warranty window. One complaint
     * per order may be open at a time: the unique open_order_id key decides between concurrent submissions.
     */
    async open(p: Principal, orderId: number, input: { type: ComplaintType; content: string; images?: number[] }) {
      const now = clock.now();
      const images = input.images ?? [];
      try {
        const complaint = await db.transaction(async (trx) => {
          const order = await orders.findById(orderId, trx);
          if (!order || order.userId !== p.id) throw notFound('工单不存在');
          if (order.status !== 'completed' || !order.completedAt) throw conflict('INVALID_TRANSITION', '工单完成后才能发起投诉');
          // The window is [completed, completed + WARRANTY_DAYS).
          if (now.getTime() >= order.completedAt.getTime() + d.business.warrantyDays * DAY) {
            throw conflict('WARRANTY_EXPIRED', `已超过 ${d.business.warrantyDays} 天保修期，不能再发起投诉`);
          }
          const id = await complaints.insert(
            {
              orderId: order.id,
              customerId: p.id,
              electricianId: order.electricianId,
              type: input.type,
              content: input.content,
              images,
              createdAt: now,
            },
            trx,
          );
          await d.files.attach(p.id, images, 'complaint', { type: 'complaint', id }, trx, 'images');
          const created = (await complaints.findById(id, trx))!;
          const eventId = await complaints.insertEvent(
            {
              complaintId: id,
              action: 'open',
              fromStatus: null,
              toStatus: 'open',
              level: 'normal',
              actorId: p.id,
              actorRole: 'customer',
              content: input.content,
              images,
              details: { type: input.type },
              createdAt: now,
            },
            trx,
          );
          await bus.stage(trx, changed(created, eventId, 'open', input.content, { id: p.id, role: 'customer' }, now)!);
          return created;
        });
        return complaint;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('COMPLAINT_OPEN', '该工单已有正在处理的投诉，请等待处理结果');
        throw err;
      }
    },

    /** The customer adds a message (and photos) to their complaint while it is being handled. */
    async message(p: Principal, id: number, input: { content: string; images?: number[] }) {
      if ((await visible(p, id)).customerId !== p.id) throw forbidden('只有投诉人可以补充说明');
      const images = input.images ?? [];
      return advance(id, { id: p.id, role: 'customer' }, async (_c, trx) => {
        await d.files.attach(p.id, images, 'complaint', { type: 'complaint', id }, trx, 'images');
        return { action: 'message', content: input.content, images };
      });
    },

    async reply(staff: Principal, id: number, content: string) {
      return advance(id, staffActor(staff), async (c, _trx, now) => ({
        action: 'reply',
        set: { status: 'processing', firstResponseAt: c.firstResponseAt ?? now },
        content,
      }));
    },

    /** normal → serious → critical; a critical complaint cannot go higher (409). */
    async escalate(staff: Principal, id: number, reason: string) {
      return advance(id, staffActor(staff), async (c, _trx, now) => {
        const next = NEXT_LEVEL[c.level];
        if (!next) throw conflict('ALREADY_CRITICAL', '投诉已是最高级别');
        return {
          action: 'escalate',
          set: { level: next, status: 'processing', firstResponseAt: c.firstResponseAt ?? now },
          content: reason,
          details: { from: c.level, to: next },
        };
      });
    },

    /**
     * Resolves with an outcome. Rework sends the order back to its electrician and refund records a
     * refund in the payments ledger, both inside this transaction: a refused rework or refund (more
     * than what is left of the payment, order not paid) leaves the complaint as it was. The refund is
     * sent to WeChat Pay after commit; a failed send is retried by the refund job with the same number.
     */
    async resolve(staff: Principal, id: number, input: ResolveBody) {
      const actor = staffActor(staff);
      return advance(id, actor, async (c, trx, now) => {
        const status: ComplaintStatus = input.outcome === 'reject' ? 'rejected' : 'resolved';
        const plan: Plan = {
          action: 'resolve',
          content: input.note,
          details: { outcome: input.outcome, ...(input.refundAmount !== undefined ? { refundAmount: input.refundAmount } : {}) },
          set: {
            status,
            outcome: input.outcome,
            refundAmount: input.refundAmount ?? null,
            resolutionNote: input.note,
            resolvedBy: staff.id,
            resolvedAt: now,
            firstResponseAt: c.firstResponseAt ?? now,
            openOrderId: null,
          },
        };
        if (input.outcome === 'rework') {
          const { event } = await d.ordersService.rework(c.orderId, actor, { complaintId: c.id, note: input.note }, trx);
          plan.details = { ...plan.details, orderEventId: event.eventId };
        }
        if (input.outcome === 'refund') {
          const refund = await d.payments.recordRefund(c.orderId, input.refundAmount!, `投诉退款（投诉 #${c.id}）`, trx);
          plan.set = { ...plan.set, refundId: refund.id };
          plan.details = { ...plan.details, refundNo: refund.outRefundNo };
          plan.afterCommit = async () => {
            try {
              await d.payments.sendRefund(refund);
            } catch (err) {
              d.logger.error(
                { err, refundNo: refund.outRefundNo, complaintId: c.id },
                'complaint refund send failed; the refund job retries it',
              );
            }
          };
        }
        return plan;
      });
    },

    async get(p: Principal, id: number): Promise<{ complaint: Complaint; events: ComplaintEvent[] }> {
      const complaint = await visible(p, id);
      return { complaint, events: await complaints.events(id) };
    },

    /** Staff detail: any complaint, with its history. */
    async adminGet(id: number): Promise<{ complaint: Complaint; events: ComplaintEvent[] }> {
      const complaint = await complaints.findById(id);
      if (!complaint) throw complaintNotFound();
      return { complaint, events: await complaints.events(id) };
    },

    /** A customer's complaints, or (as an electrician) the complaints about their orders. */
    async mine(
      p: Principal,
      q: PageQuery & { status?: ComplaintStatus; as?: 'customer' | 'electrician' },
    ): Promise<Page<Complaint>> {
      const as = q.as ?? (p.userType === 'electrician' ? 'electrician' : 'customer');
      let filter: { customerId?: number; electricianId?: number } = { customerId: p.id };
      if (as === 'electrician') {
        const e = await d.electricians.findByUserId(p.id);
        if (!e) return { items: [], total: 0, page: q.page, limit: q.limit };
        filter = { electricianId: e.id };
      }
      const { items, total } = await complaints.list({ ...filter, status: q.status, offset: offsetOf(q), limit: q.limit });
      return { items, total, page: q.page, limit: q.limit };
    },

    async adminList(
      q: PageQuery & { status?: ComplaintStatus; level?: ComplaintLevel; type?: ComplaintType; keyword?: string },
    ): Promise<Page<Complaint>> {
      const { items, total } = await complaints.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },
  };
}

export type ComplaintsService = ReturnType<typeof createComplaintsService>;
