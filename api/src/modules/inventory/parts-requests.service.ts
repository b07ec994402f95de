import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { Actor, DomainBus } from '../../shared/domain-events';
import { AppError, badRequest, conflict, notFound, type ErrorDetail } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { hasPermission } from '../../shared/permissions';
import type { ElectricianReader } from '../electricians';
import type { Order, OrderStatus, PartsOrdersPort } from '../orders';
import type { CatalogRepository } from './catalog.repository';
import type { PartsRequestChanged } from './inventory.events';
import type { CreatePartsRequest, PartsRequestStatus, SettleBody } from './inventory.schemas';
import type { PartsRequest, PartsRequestPatch, PartsRequestsRepository } from './parts-requests.repository';
import type { Ledger, StockChange } from './stock.service';
import type { StockRepository } from './stock.repository';
import { stockTransaction } from './transactions';

export interface PartsRequestsDeps {
  db: Db;
  requests: PartsRequestsRepository;
  catalog: CatalogRepository;
  stock: StockRepository;
  ledger: Ledger;
  orders: PartsOrdersPort;
  electricians: ElectricianReader;
  bus: DomainBus;
  clock: Clock;
}

/** Order statuses in which its electrician may ask for parts: from accepting it until the repair is done. */
export const PARTS_ORDER_STATUSES: readonly OrderStatus[] = ['accepted', 'arrived', 'quoted', 'in_progress'];
/** Requests still open: released (and so cancelled) when their order is cancelled or taken from its electrician. */
const OPEN: readonly PartsRequestStatus[] = ['pending', 'approved'];

type Step = 'created' | 'approved' | 'rejected' | 'issued' | 'cancelled' | 'settled';
/** The order timeline's action for each step (order_events.action). */
const TIMELINE_ACTION: Record<Step, string> = {
  created: 'parts_requested',
  approved: 'parts_approved',
  rejected: 'parts_rejected',
  issued: 'parts_issued',
  cancelled: 'parts_cancelled',
  settled: 'parts_settled',
};
const STATUS_OF: Record<Step, PartsRequestStatus> = {
  created: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  issued: 'issued',
  cancelled: 'cancelled',
  settled: 'settled',
};

const requestNotFound = () => notFound('配件申请不存在');
const orderNotFound = () => notFound('工单不存在');
const wrongState = (message: string) => conflict('INVALID_TRANSITION', message);

export function createPartsRequestsService(d: PartsRequestsDeps) {
  const { db, requests, orders, clock, bus } = d;

  /** The request after its step: its row on the order's timeline and its event, in the step's transaction. */
  async function recordStep(
    trx: Knex.Transaction,
    order: Order,
    r: PartsRequest,
    step: Step,
    actor: Actor,
    now: Date,
  ): Promise<PartsRequest> {
    const after = (await requests.findById(r.id, trx))!;
    await orders.insertEvent(
      {
        orderId: order.id,
        action: TIMELINE_ACTION[step],
        from: order.status,
        to: order.status,
        actorId: actor.id,
        actorRole: actor.role,
        details: {
          partsRequestId: r.id,
          warehouse: after.warehouseName,
          items: after.items.map((i) => ({
            catalogItemId: i.catalogItemId,
            name: i.name,
            unit: i.unit,
            quantity: i.quantity,
            ...(i.used !== null ? { used: i.used } : {}),
          })),
          ...(after.reason ? { reason: after.reason } : {}),
        },
      },
      now,
      trx,
    );
    const event: PartsRequestChanged = {
      name: `parts_request.${step}`,
      requestId: r.id,
      orderId: order.id,
      orderNo: order.orderNo,
      electricianUserId: after.requestedBy,
      warehouseName: after.warehouseName,
      status: STATUS_OF[step],
      reason: after.reason,
      actor,
      at: now,
    };
    await bus.stage(trx, event);
    return after;
  }

  /** The caller's own request (they asked for it as an electrician); anyone else: 404. */
  async function own(p: Principal, id: number): Promise<PartsRequest> {
    const [r, e] = await Promise.all([requests.findById(id), d.electricians.findByUserId(p.id)]);
    if (!r || !e || r.electricianId !== e.id) throw requestNotFound();
    return r;
  }

  async function staffRequest(id: number): Promise<PartsRequest> {
    const r = await requests.findById(id);
    if (!r) throw requestNotFound();
    return r;
  }

  /** A stock movement of one line of a request. */
  interface LineChange {
    catalogItemId: number;
    type: StockChange['type'];
    quantity: number;
  }

  /**
   * One step of a request in one transaction: a status change conditional on the status read
   * (409 when another step came first), then `extra` (a check that may refuse it; the used counts),
   * its stock movements (all or nothing: a short line rolls the whole step back), its timeline row
   * and its event.
   */
  async function step(
    r: PartsRequest,
    s: Step,
    o: {
      from: readonly PartsRequestStatus[];
      actor: Actor;
      patch: PartsRequestPatch;
      movements?: LineChange[];
      extra?: (trx: Knex.Transaction) => Promise<void>;
    },
  ): Promise<PartsRequest> {
    const now = clock.now();
    return stockTransaction(db, async (trx) => {
      if (!(await requests.transition(r.id, o.from, STATUS_OF[s], o.patch, now, trx)))
        throw wrongState('配件申请的状态已变化，请刷新后重试');
      await o.extra?.(trx);
      const movements = (o.movements ?? []).filter((m) => m.quantity > 0);
      if (movements.length > 0) {
        const warehouse = (await d.stock.findWarehouse(r.warehouseId, trx))!;
        const items = new Map(
          (
            await d.catalog.findByIds(
              r.items.map((i) => i.catalogItemId),
              trx,
            )
          ).map((i) => [i.id, i]),
        );
        const note = `配件申请 #${r.id}`;
        await d.ledger(
          trx,
          warehouse,
          movements.map((m) => ({
            item: items.get(m.catalogItemId)!,
            type: m.type,
            quantity: m.quantity,
            partsRequestId: r.id,
            note,
          })),
          o.actor,
          now,
        );
      }
      const order = (await orders.findById(r.orderId, trx))!;
      return recordStep(trx, order, r, s, o.actor, now);
    });
  }

  /** A movement of every line of a request, of one type. */
  const everyLine = (r: PartsRequest, type: StockChange['type'], quantityOf = (l: PartsRequest['items'][number]) => l.quantity) =>
    r.items.map((l) => ({ catalogItemId: l.catalogItemId, type, quantity: quantityOf(l) }));

  /** Cancels an open request (releasing an approved one's reservation). */
  const cancelOpen = (r: PartsRequest, actor: Actor, reason: string | null) =>
    step(r, 'cancelled', {
      from: [r.status],
      actor,
      patch: { closedAt: clock.now(), reason },
      movements: r.status === 'approved' ? everyLine(r, 'release') : [],
    });

  /**
   * The order was cancelled or taken from its electrician: its open requests are cancelled (an
   * approved one's reservation released) by the system. Idempotent (a redelivered event finds
   * them closed).
   */
  async function releaseForOrder(orderId: number, reason: string): Promise<number> {
    let released = 0;
    for (const id of await requests.idsForOrder(orderId, OPEN)) {
      // Another step may come first (an approval turns pending into approved): read it again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = await requests.findById(id);
        if (!r || !OPEN.includes(r.status)) break;
        try {
          await cancelOpen(r, { id: null, role: 'system' }, reason);
          released++;
          break;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'INVALID_TRANSITION')) throw err;
        }
      }
    }
    return released;
  }

  return {
    /**
     * The assigned electrician asks a warehouse for materials for their order while it is accepted
     * … in progress: every item must be an active material of the price list, the warehouse must
     * exist; otherwise 400 (404 for someone else's order, 409 for a finished one) and nothing is written.
     */
    async create(p: Principal, orderId: number, input: CreatePartsRequest): Promise<PartsRequest> {
      const now = clock.now();
      const created = await stockTransaction(db, async (trx) => {
        const [order, e] = await Promise.all([orders.findById(orderId, trx), d.electricians.findByUserId(p.id, trx)]);
        if (!order || !e || order.electricianId !== e.id) throw orderNotFound();
        if (!PARTS_ORDER_STATUSES.includes(order.status)) throw wrongState('工单当前状态不能申请配件');
        const warehouse = await d.stock.findWarehouse(input.warehouseId, trx);
        if (!warehouse || !warehouse.active)
          throw badRequest('WAREHOUSE_UNAVAILABLE', '仓库不存在', [
            { path: ['body', 'warehouseId'], message: '仓库不存在或已停用' },
          ]);
        const found = new Map(
          (
            await d.catalog.findByIds(
              input.items.map((i) => i.catalogItemId),
              trx,
            )
          ).map((i) => [i.id, i]),
        );
        const problems: ErrorDetail[] = [];
        input.items.forEach((line, i) => {
          const item = found.get(line.catalogItemId);
          const message = !item
            ? '价目表中没有该配件'
            : !item.active
              ? `${item.name} 已下架`
              : item.category !== 'material'
                ? `${item.name} 是人工项目，不是配件`
                : null;
          if (message) problems.push({ path: ['body', 'items', i, 'catalogItemId'], message });
        });
        if (problems.length > 0) throw badRequest('CATALOG_ITEM_UNAVAILABLE', problems[0]!.message, problems);
        const id = await requests.insert(
          {
            orderId,
            electricianId: e.id,
            requestedBy: p.id,
            warehouseId: warehouse.id,
            note: input.note ?? null,
            items: input.items,
          },
          now,
          trx,
        );
        return recordStep(trx, order, (await requests.findById(id, trx))!, 'created', { id: p.id, role: 'electrician' }, now);
      });
      // The order was read, not locked: cancelled or taken back meanwhile, its release may have run
      // before this request was committed. Read it again now that the request is visible; if it is
      // no longer this electrician's to repair, the request is released like the others (and is
      // answered as it then stands, cancelled).
      const after = await orders.findById(orderId);
      if (!after || after.electricianId !== created.electricianId || !PARTS_ORDER_STATUSES.includes(after.status)) {
        await releaseForOrder(orderId, '工单已取消或已改派');
        return (await requests.findById(created.id))!;
      }
      return created;
    },

    /**
     * An order's requests: all of them for staff and the order's electrician; an electrician who
     * no longer holds the order sees their own (parts they were issued still wait for settling).
     */
    async forOrder(p: Principal, orderId: number): Promise<PartsRequest[]> {
      const order = await orders.findById(orderId);
      if (!order) throw orderNotFound();
      if (hasPermission(p, 'inventory.read') || hasPermission(p, 'orders.read')) return requests.forOrder(orderId);
      const e = await d.electricians.findByUserId(p.id);
      if (!e) throw orderNotFound();
      const all = await requests.forOrder(orderId);
      if (order.electricianId === e.id) return all;
      const mine = all.filter((r) => r.electricianId === e.id);
      if (mine.length === 0) throw orderNotFound();
      return mine;
    },

    /** The electrician withdraws a pending or approved request; an approved one's reservation is released. */
    async cancel(p: Principal, id: number, reason?: string): Promise<PartsRequest> {
      const r = await own(p, id);
      if (!OPEN.includes(r.status)) throw wrongState('只有待审批或已批准的申请可以撤回');
      return cancelOpen(r, { id: p.id, role: 'electrician' }, reason ?? null);
    },

    /**
     * After the repair the electrician records what was used of each issued line (used ≤ issued,
     * every line once); the rest goes back to stock (`return`).
     */
    async settle(p: Principal, id: number, input: SettleBody): Promise<PartsRequest> {
      const r = await own(p, id);
      if (r.status !== 'issued') throw wrongState('配件领取后才能登记用量');
      const used = new Map(input.items.map((i) => [i.catalogItemId, i.used]));
      const problems: ErrorDetail[] = [];
      input.items.forEach((line, i) => {
        const issued = r.items.find((l) => l.catalogItemId === line.catalogItemId);
        if (!issued) problems.push({ path: ['body', 'items', i, 'catalogItemId'], message: '该配件不在申请中' });
        else if (line.used > issued.quantity)
          problems.push({ path: ['body', 'items', i, 'used'], message: `用量不能超过领取数量 ${issued.quantity}` });
      });
      r.items.forEach((l) => {
        if (!used.has(l.catalogItemId)) problems.push({ path: ['body', 'items'], message: `请填写 ${l.name} 的用量` });
      });
      if (problems.length > 0) throw badRequest('VALIDATION_FAILED', problems[0]!.message, problems);
      return step(r, 'settled', {
        from: ['issued'],
        actor: { id: p.id, role: 'electrician' },
        patch: { settledAt: clock.now() },
        movements: everyLine(r, 'return', (l) => l.quantity - used.get(l.catalogItemId)!),
        extra: (trx) =>
          requests.setUsed(
            id,
            r.items.map((l) => ({ catalogItemId: l.catalogItemId, used: used.get(l.catalogItemId)! })),
            trx,
          ),
      });
    },

    // --- staff

    async list(
      q: PageQuery & { status?: PartsRequestStatus; warehouseId?: number; orderId?: number },
    ): Promise<Page<PartsRequest>> {
      const { items, total } = await requests.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * Approves a pending request by reserving every line in its warehouse, all or nothing: 409
     * INSUFFICIENT_STOCK (nothing reserved) when any line is short. Refused (409) once the order
     * is no longer its electrician's to repair.
     */
    async approve(staff: Principal, id: number): Promise<PartsRequest> {
      const r = await staffRequest(id);
      if (r.status !== 'pending') throw wrongState('只有待审批的申请可以批准');
      return step(r, 'approved', {
        from: ['pending'],
        actor: { id: staff.id, role: 'admin' },
        patch: { decidedBy: staff.id, approvedAt: clock.now() },
        movements: everyLine(r, 'reserve'),
        // Read after the request's row is locked: an order cancelled or taken back meanwhile is seen
        // here, or its release (which waits for this lock) finds the request approved and releases it.
        extra: async (trx) => {
          const order = await orders.findById(r.orderId, trx);
          if (!order || order.electricianId !== r.electricianId || !PARTS_ORDER_STATUSES.includes(order.status))
            throw wrongState('工单已结束或已改派，不能再批准该申请');
        },
      });
    },

    async reject(staff: Principal, id: number, reason: string): Promise<PartsRequest> {
      const r = await staffRequest(id);
      if (r.status !== 'pending') throw wrongState('只有待审批的申请可以驳回');
      return step(r, 'rejected', {
        from: ['pending'],
        actor: { id: staff.id, role: 'admin' },
        patch: { decidedBy: staff.id, reason, closedAt: clock.now() },
      });
    },

    /** The electrician collects the approved parts: the reservation becomes stock out (`issue`). */
    async issue(staff: Principal, id: number): Promise<PartsRequest> {
      const r = await staffRequest(id);
      if (r.status !== 'approved') throw wrongState('只有已批准的申请可以出库');
      return step(r, 'issued', {
        from: ['approved'],
        actor: { id: staff.id, role: 'admin' },
        patch: { issuedAt: clock.now() },
        movements: everyLine(r, 'issue'),
      });
    },

    releaseForOrder,
  };
}

export type PartsRequestsService = ReturnType<typeof createPartsRequestsService>;
