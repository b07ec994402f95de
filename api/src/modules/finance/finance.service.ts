import type { Clock } from '../../shared/clock';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { TransferTotals } from '../payouts';
import {
  reconcile,
  type PaymentFilter,
  type PaymentReports,
  type PaymentRow,
  type Reconciliation,
  type ReconciliationDay,
  type RefundFilter,
  type RefundRow,
} from '../payments';

type Query<F> = PageQuery & Omit<F, 'offset' | 'limit'>;

const CSV_COLUMNS: [keyof ReconciliationDay, string, 'fen' | 'n' | 'bool' | 'text'][] = [
  ['date', '日期', 'text'],
  ['payments', '支付笔数', 'n'],
  ['paid', '收款(元)', 'fen'],
  ['platformFee', '平台服务费(元)', 'fen'],
  ['electricianAmount', '电工分成(元)', 'fen'],
  ['underReview', '待复核(元)', 'fen'],
  ['refunds', '退款笔数', 'n'],
  ['refunded', '退款(元)', 'fen'],
  ['refundFromElectrician', '电工承担退款(元)', 'fen'],
  ['refundFromPlatform', '平台承担退款(元)', 'fen'],
  ['netPlatform', '平台净收入(元)', 'fen'],
  ['netElectrician', '电工净收入(元)', 'fen'],
  ['balanced', '是否平衡', 'bool'],
];

/** The reconciliation report as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese headers). */
export function reconciliationCsv(r: Reconciliation): string {
  const cell = (row: Partial<ReconciliationDay>, [key, , kind]: (typeof CSV_COLUMNS)[number]) => {
    const v = row[key];
    if (kind === 'fen') return ((v as number) / 100).toFixed(2);
    if (kind === 'bool') return v ? '是' : '否';
    return String(v ?? '');
  };
  const lines = [
    CSV_COLUMNS.map(([, header]) => header),
    ...r.days.map((d) => CSV_COLUMNS.map((c) => cell(d, c))),
    CSV_COLUMNS.map((c) => (c[0] === 'date' ? `合计 ${r.from}~${r.to}` : cell(r.totals, c))),
  ];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

/** The finance pages: payments' reports (`reports`) and the reconciliation; finance owns no table. */
export function createFinanceService(d: { reports: PaymentReports; clock: Clock; transfers: TransferTotals }) {
  const paginate = async <T>(q: PageQuery, run: (offset: number) => Promise<{ items: T[]; total: number }>): Promise<Page<T>> => {
    const { items, total } = await run(offsetOf(q));
    return { items, total, page: q.page, limit: q.limit };
  };
  return {
    payments: (q: Query<PaymentFilter>): Promise<Page<PaymentRow>> =>
      paginate(q, (offset) => d.reports.payments({ ...q, offset, limit: q.limit })),
    refunds: (q: Query<RefundFilter>): Promise<Page<RefundRow>> =>
      paginate(q, (offset) => d.reports.refunds({ ...q, offset, limit: q.limit })),
    /** An order's payments and refunds, for its detail page. */
    async ofOrder(orderId: number) {
      const all = { page: 1, limit: 100 };
      const [payments, refunds] = await Promise.all([
        d.reports.payments({ orderId, offset: 0, limit: all.limit }),
        d.reports.refunds({ orderId, offset: 0, limit: all.limit }),
      ]);
      return { payments: payments.items, refunds: refunds.items };
    },
    settlements: () => d.reports.settlements(d.clock.now()),
    /**
     * The reconciliation of payments per Beijing day, with the electricians' withdrawals (merchant
     * transfers) created in the range: succeeded, pending and failed or cancelled, count and fen.
     */
    async reconciliation(
      from: string,
      to: string,
    ): Promise<Reconciliation & { transfers: Awaited<ReturnType<TransferTotals['transferTotals']>> }> {
      const report = await reconcile(d.reports, from, to);
      const start = new Date(Date.parse(`${from}T00:00:00.000+08:00`));
      const end = new Date(Date.parse(`${to}T00:00:00.000+08:00`) + 86_400_000);
      return { ...report, transfers: await d.transfers.transferTotals(start, end) };
    },
  };
}

export type FinanceService = ReturnType<typeof createFinanceService>;
