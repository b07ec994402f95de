import type { Knex } from 'knex';
import { insertId, isUniqueViolation, type Db } from '../../db';
import { toDate } from '../../shared/rows';
import type { LedgerType, WithdrawalStatus } from './payouts.schemas';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface Balance {
  electricianId: number;
  available: number;
  withdrawing: number;
  withdrawn: number;
}

export interface LedgerRow {
  id: number;
  electricianId: number;
  type: LedgerType;
  amount: number;
  withdrawalId: number | null;
  withdrawalNo: string | null;
  paymentId: number | null;
  orderId: number | null;
  createdAt: Date;
}

export interface Withdrawal {
  id: number;
  withdrawalNo: string;
  electricianId: number;
  userId: number;
  openid: string;
  amount: number;
  status: WithdrawalStatus;
  reason: string | null;
  packageInfo: string | null;
  transferBillNo: string | null;
  billState: string | null;
  billCreatedAt: Date | null;
  reviewedBy: number | null;
  reviewedAt: Date | null;
  retryCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWithdrawal {
  withdrawalNo: string;
  electricianId: number;
  userId: number;
  openid: string;
  amount: number;
  status: WithdrawalStatus;
  createdAt: Date;
}

/** What a state change writes to a withdrawal (camelCase, mapped to columns here). */
export interface WithdrawalPatch {
  status?: WithdrawalStatus;
  reason?: string | null;
  packageInfo?: string | null;
  transferBillNo?: string | null;
  billState?: string | null;
  billCreatedAt?: Date | null;
  reviewedBy?: number | null;
  reviewedAt?: Date | null;
  retryCount?: number;
  updatedAt?: Date;
}

const WITHDRAWAL_COLUMNS: Record<keyof WithdrawalPatch, string> = {
  status: 'status',
  reason: 'reason',
  packageInfo: 'package_info',
  transferBillNo: 'transfer_bill_no',
  billState: 'bill_state',
  billCreatedAt: 'bill_created_at',
  reviewedBy: 'reviewed_by',
  reviewedAt: 'reviewed_at',
  retryCount: 'retry_count',
  updatedAt: 'updated_at',
};

function columnsOf(patch: WithdrawalPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[WITHDRAWAL_COLUMNS[key as keyof WithdrawalPatch]] = value;
  }
  return row;
}

const mapWithdrawal = (r: Row): Withdrawal => ({
  id: Number(r.id),
  withdrawalNo: String(r.withdrawal_no),
  electricianId: Number(r.electrician_id),
  userId: Number(r.user_id),
  openid: String(r.openid),
  amount: Number(r.amount),
  status: r.status as WithdrawalStatus,
  reason: str(r.reason),
  packageInfo: str(r.package_info),
  transferBillNo: str(r.transfer_bill_no),
  billState: str(r.bill_state),
  billCreatedAt: toDate(r.bill_created_at),
  reviewedBy: num(r.reviewed_by),
  reviewedAt: toDate(r.reviewed_at),
  retryCount: Number(r.retry_count),
  createdAt: toDate(r.created_at)!,
  updatedAt: toDate(r.updated_at)!,
});

const mapLedger = (r: Row): LedgerRow => ({
  id: Number(r.id),
  electricianId: Number(r.electrician_id),
  type: r.type as LedgerType,
  amount: Number(r.amount),
  withdrawalId: num(r.withdrawal_id),
  withdrawalNo: str(r.withdrawal_no),
  paymentId: num(r.payment_id),
  orderId: num(r.order_id),
  createdAt: toDate(r.created_at)!,
});

const mapBalance = (r: Row): Balance => ({
  electricianId: Number(r.electrician_id),
  available: Number(r.available),
  withdrawing: Number(r.withdrawing),
  withdrawn: Number(r.withdrawn),
});

/** The balance columns a movement changes, with the sign of each change. */
export interface Movement {
  available?: number;
  withdrawing?: number;
  withdrawn?: number;
}

export function createPayoutsRepository(db: Db) {
  return {
    async balanceOf(electricianId: number, trx: Conn = db): Promise<Balance> {
      const r = await trx('wallet_balances').where({ electrician_id: electricianId }).first();
      return r ? mapBalance(r) : { electricianId, available: 0, withdrawing: 0, withdrawn: 0 };
    },

    /**
     * Locks the electrician's balance row for the rest of the transaction. Every transaction that
     * changes a wallet takes this lock before the withdrawal rows it touches, so two of them never
     * wait for each other in opposite orders.
     */
    async lockBalance(electricianId: number, trx: Knex.Transaction): Promise<void> {
      await trx('wallet_balances').where({ electrician_id: electricianId }).forUpdate().first('electrician_id');
    },

    /** The electrician's balance row, made (all zero) if it is not there yet; concurrent callers make one. */
    async ensureBalance(electricianId: number, now: Date, trx: Conn): Promise<void> {
      await trx('wallet_balances')
        .insert({ electrician_id: electricianId, available: 0, withdrawing: 0, withdrawn: 0, updated_at: now })
        .onConflict('electrician_id')
        .ignore();
    },

    /** A deleted account's withdrawals stay for the books; the recipient's openid is replaced by the account's rewritten openid. */
    async anonymiseRecipient(userId: number, openid: string, now: Date, trx: Conn): Promise<number> {
      return trx('withdrawals').where({ user_id: userId }).update({ openid, updated_at: now });
    },

    /**
     * Moves money between the balance's columns in one conditional update: every column that goes
     * down must hold enough (`available >= amount + keep` for the available column, so that held-back
     * earnings stay), or nothing changes. False when it would go negative (or there is no row).
     */
    async move(electricianId: number, m: Movement, now: Date, trx: Conn, keep = 0): Promise<boolean> {
      const q = trx('wallet_balances').where({ electrician_id: electricianId });
      const set: Row = { updated_at: now };
      for (const column of ['available', 'withdrawing', 'withdrawn'] as const) {
        const delta = m[column];
        if (!delta) continue;
        set[column] = trx.raw('?? + ?', [column, delta]);
        if (delta < 0) q.andWhere(column, '>=', -delta + (column === 'available' ? keep : 0));
      }
      return (await q.update(set)) === 1;
    },

    /**
     * Writes a ledger row; false when its unique key is taken (this payment was credited, or this
     * withdrawal already has a row of this type): the caller's change has already happened.
     */
    async insertLedger(
      row: {
        electricianId: number;
        type: LedgerType;
        amount: number;
        withdrawalId?: number;
        paymentId?: number;
        orderId?: number;
      },
      now: Date,
      trx: Knex.Transaction,
    ): Promise<boolean> {
      try {
        // A savepoint: on MySQL a failed insert leaves the transaction usable, on Postgres-like
        // engines it would not; the nested transaction keeps the caller's work either way.
        await trx.transaction(async (sp) => {
          await sp('wallet_ledger').insert({
            electrician_id: row.electricianId,
            type: row.type,
            amount: row.amount,
            withdrawal_id: row.withdrawalId ?? null,
            payment_id: row.paymentId ?? null,
            order_id: row.orderId ?? null,
            created_at: now,
          });
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** The electrician's latest ledger rows, newest first, with their withdrawals' numbers. */
    async ledgerOf(electricianId: number, limit: number): Promise<LedgerRow[]> {
      const rows = await db('wallet_ledger')
        .leftJoin('withdrawals', 'withdrawals.id', 'wallet_ledger.withdrawal_id')
        .where('wallet_ledger.electrician_id', electricianId)
        .select('wallet_ledger.*', 'withdrawals.withdrawal_no')
        .orderBy('wallet_ledger.id', 'desc')
        .limit(limit);
      return rows.map(mapLedger);
    },

    /** What settlement credited for the given orders (the earnings held back while a complaint about them is open). */
    async creditedFor(electricianId: number, orderIds: number[], trx: Conn = db): Promise<number> {
      if (orderIds.length === 0) return 0;
      const r = await trx('wallet_ledger')
        .where({ electrician_id: electricianId, type: 'settlement_credit' })
        .whereIn('order_id', orderIds)
        .sum({ s: 'amount' })
        .first();
      return Number(r?.s ?? 0);
    },

    async insertWithdrawal(w: NewWithdrawal, trx: Knex.Transaction): Promise<number> {
      return insertId(trx, 'withdrawals', {
        withdrawal_no: w.withdrawalNo,
        electrician_id: w.electricianId,
        user_id: w.userId,
        openid: w.openid,
        amount: w.amount,
        status: w.status,
        created_at: w.createdAt,
        updated_at: w.createdAt,
      });
    },

    async findById(id: number, trx: Conn = db): Promise<Withdrawal | undefined> {
      const r = await trx('withdrawals').where({ id }).first();
      return r ? mapWithdrawal(r) : undefined;
    },

    async findByNo(withdrawalNo: string, trx: Conn = db): Promise<Withdrawal | undefined> {
      const r = await trx('withdrawals').where({ withdrawal_no: withdrawalNo }).first();
      return r ? mapWithdrawal(r) : undefined;
    },

    /** A state change conditional on the statuses the caller expects; false means someone else changed it first. */
    async updateWhere(id: number, from: readonly WithdrawalStatus[], set: WithdrawalPatch, trx: Conn = db): Promise<boolean> {
      const n = await trx('withdrawals').where({ id }).whereIn('status', from).update(columnsOf(set));
      return n === 1;
    },

    /**
     * What the electrician has asked to withdraw since `since` and not got back (failed and
     * cancelled withdrawals returned their money). A locking read: the caller holds the balance
     * row's lock, so on MySQL the count sees every withdrawal committed before it.
     */
    /**
     * What an electrician has withdrawn (or is withdrawing) since `since`, for the daily cap. Inside a
     * withdrawal's transaction (`trx`) the rows are locked; the wallet's reading (no `trx`) is a plain read.
     */
    async withdrawnSince(electricianId: number, since: Date, trx?: Knex.Transaction): Promise<number> {
      const q = (trx ?? db)('withdrawals')
        .where({ electrician_id: electricianId })
        .andWhere('created_at', '>=', since)
        .whereNotIn('status', ['failed', 'cancelled'])
        .sum({ s: 'amount' });
      const r = await (trx ? q.forUpdate() : q).first();
      return Number(r?.s ?? 0);
    },

    async list(
      q: { electricianId?: number; status?: WithdrawalStatus },
      offset: number,
      limit: number,
    ): Promise<{ items: Withdrawal[]; total: number }> {
      const base = db('withdrawals').modify((b) => {
        if (q.electricianId !== undefined) b.where('electrician_id', q.electricianId);
        if (q.status) b.where('status', q.status);
      });
      const [rows, total] = await Promise.all([
        base.clone().orderBy('id', 'desc').offset(offset).limit(limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapWithdrawal), total: Number(total?.n ?? 0) };
    },

    /** Withdrawals in the given statuses last changed before `before`, oldest first (the jobs' work). */
    async inStatusSince(statuses: readonly WithdrawalStatus[], before: Date, limit: number): Promise<Withdrawal[]> {
      const rows = await db('withdrawals')
        .whereIn('status', statuses)
        .andWhere('updated_at', '<=', before)
        .orderBy('id')
        .limit(limit);
      return rows.map(mapWithdrawal);
    },

    /** Whether the electrician has a withdrawal that is not final (an account cannot be deleted then). */
    async hasPending(electricianId: number, trx: Conn = db): Promise<boolean> {
      const r = await trx('withdrawals')
        .where({ electrician_id: electricianId })
        .whereIn('status', ['reviewing', 'approved', 'wait_user_confirm'])
        .first('id');
      return r !== undefined;
    },

    /** Transfer totals by status over withdrawals created in [from, to) (the finance page). */
    async totalsBetween(from: Date, to: Date): Promise<{ status: WithdrawalStatus; count: number; amount: number }[]> {
      const rows = await db('withdrawals')
        .where('created_at', '>=', from)
        .andWhere('created_at', '<', to)
        .select('status')
        .count({ n: '*' })
        .sum({ s: 'amount' })
        .groupBy('status');
      return rows.map((r: Row) => ({ status: r.status as WithdrawalStatus, count: Number(r.n), amount: Number(r.s ?? 0) }));
    },

    // --- the reconcile check's reads

    async allBalances(): Promise<Balance[]> {
      return (await db('wallet_balances').orderBy('electrician_id')).map(mapBalance);
    },

    /** The ledger summed per electrician and type. */
    async ledgerSums(): Promise<{ electricianId: number; type: LedgerType; amount: number }[]> {
      const rows = await db('wallet_ledger')
        .select('electrician_id', 'type')
        .sum({ s: 'amount' })
        .groupBy('electrician_id', 'type');
      return rows.map((r: Row) => ({
        electricianId: Number(r.electrician_id),
        type: r.type as LedgerType,
        amount: Number(r.s ?? 0),
      }));
    },

    /** Each withdrawal with its ledger rows' types and amounts. */
    async withdrawalsWithLedger(): Promise<{ withdrawal: Withdrawal; rows: { type: LedgerType; amount: number }[] }[]> {
      const withdrawals = (await db('withdrawals').orderBy('id')).map(mapWithdrawal);
      const rows = await db('wallet_ledger').whereNotNull('withdrawal_id').select('withdrawal_id', 'type', 'amount');
      const byId = new Map<number, { type: LedgerType; amount: number }[]>();
      for (const r of rows) {
        const list = byId.get(Number(r.withdrawal_id)) ?? [];
        list.push({ type: r.type as LedgerType, amount: Number(r.amount) });
        byId.set(Number(r.withdrawal_id), list);
      }
      return withdrawals.map((w) => ({ withdrawal: w, rows: byId.get(w.id) ?? [] }));
    },

    /** Settlement credits by payment id. */
    async credits(): Promise<Map<number, { electricianId: number; amount: number }>> {
      const rows = await db('wallet_ledger')
        .where({ type: 'settlement_credit' })
        .select('payment_id', 'electrician_id', 'amount');
      return new Map(
        rows.map((r: Row) => [Number(r.payment_id), { electricianId: Number(r.electrician_id), amount: Number(r.amount) }]),
      );
    },
  };
}

export type PayoutsRepository = ReturnType<typeof createPayoutsRepository>;
