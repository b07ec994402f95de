/**
 * My wallet (钱包), for an approved electrician: what can be withdrawn, what is still settling, the
 * withdrawals and every change of the balance. A withdrawal goes to the electrician's WeChat change
 * (零钱) by WeChat Pay's merchant transfer, which the electrician confirms in WeChat
 * (wx.requestMerchantTransfer); a large one waits for the platform's review first.
 */
import { newIdempotencyKey } from '../../../services/orders';
import type { ApiError } from '../../../services/request';
import {
  devConfirmWithdrawal,
  getWithdrawal,
  isDevTransfer,
  LEDGER_TEXT,
  myWallet,
  myWithdrawals,
  withdraw,
  WITHDRAWAL_STATUS_TEXT,
  type LedgerRow,
  type Wallet,
  type Withdrawal,
} from '../../../services/wallet';
import { formatTime } from '../../../utils/format';
import { fenToYuan, formatMoney, parseYuan } from '../../../utils/money';
import { hasMore } from '../../../utils/order-view';

const PAGE = 10;
/** How often and how long the page asks for a transfer's outcome after the electrician confirmed it. */
const CONFIRM_POLL = { attempts: 10, intervalMs: 1500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface WithdrawalRow {
  withdrawalNo: string;
  amountText: string;
  status: Withdrawal['status'];
  statusText: string;
  /** Green when the money arrived, red when it did not, grey while on its way. */
  tone: 'done' | 'bad' | 'wait';
  reason: string;
  timeText: string;
  confirmable: boolean;
}

interface LedgerLine {
  id: number;
  text: string;
  amountText: string;
  /** Money in (+), out (−), or moved between withdrawing and withdrawn (no sign). */
  sign: 'in' | 'out' | 'none';
  timeText: string;
}

function withdrawalRow(w: Withdrawal): WithdrawalRow {
  const tone = w.status === 'succeeded' ? 'done' : w.status === 'failed' || w.status === 'cancelled' ? 'bad' : 'wait';
  return {
    withdrawalNo: w.withdrawalNo,
    amountText: formatMoney(w.amount),
    status: w.status,
    statusText: WITHDRAWAL_STATUS_TEXT[w.status],
    tone,
    reason: w.reason ?? '',
    timeText: formatTime(w.createdAt),
    confirmable: w.status === 'wait_user_confirm' && Boolean(w.packageInfo),
  };
}

function ledgerLine(r: LedgerRow): LedgerLine {
  // A completed transfer moves money from withdrawing to withdrawn: the balance did not change then.
  const sign = r.type === 'withdraw_complete' ? 'none' : r.amount < 0 ? 'out' : 'in';
  const abs = formatMoney(Math.abs(r.amount));
  return {
    id: r.id,
    text: LEDGER_TEXT[r.type] ?? r.type,
    amountText: sign === 'in' ? `+${abs}` : sign === 'out' ? `−${abs}` : abs,
    sign,
    timeText: formatTime(r.createdAt),
  };
}

/** What the rules say, in the words of the page: '单笔最低 ¥1.00，每日最多 ¥2000.00（今日还可提 …）；¥500.00 及以上需平台审核…'. */
function rulesText(w: Wallet): string {
  const r = w.rules;
  const left = r.todayLeftFen < r.dailyMaxFen ? `，今日还可提 ${formatMoney(r.todayLeftFen)}` : '';
  return `单笔最低 ${formatMoney(r.minFen)}，每日最多 ${formatMoney(r.dailyMaxFen)}${left}；${formatMoney(r.reviewFen)} 及以上需平台审核。发起后请在 ${r.confirmHours} 小时内确认收款，逾期自动退回余额。`;
}

Component({
  data: {
    loading: true,
    error: '',
    wallet: null as null | {
      availableText: string;
      heldText: string;
      pendingText: string;
      withdrawingText: string;
      withdrawnText: string;
      available: number;
      minFen: number;
      rulesText: string;
    },
    amount: '',
    /** The key of the attempt in progress: kept while retrying it, new once the amount changes. */
    attemptKey: '',
    busy: false,
    formError: '',
    withdrawals: [] as WithdrawalRow[],
    withdrawalsPage: 0,
    withdrawalsMore: false,
    ledger: [] as LedgerLine[],
    /** The withdrawals with a bill waiting for the electrician, as the API last answered them. */
    waiting: {} as Record<string, Withdrawal>,
    confirming: '',
  },
  methods: {
    onShow(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      if (this.data.withdrawalsMore) void this.loadWithdrawals(this.data.withdrawalsPage + 1);
    },
    async load(): Promise<void> {
      this.setData({ error: '' });
      try {
        const [wallet] = await Promise.all([myWallet({ silent: true }), this.loadWithdrawals(1)]);
        this.showWallet(wallet);
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ loading: false });
      }
    },
    showWallet(w: Wallet): void {
      this.setData({
        wallet: {
          availableText: fenToYuan(w.withdrawable),
          heldText: w.heldByComplaints > 0 ? `${formatMoney(w.heldByComplaints)} 因订单售后处理中，暂不可提现` : '',
          pendingText: formatMoney(w.pendingSettlement),
          withdrawingText: formatMoney(w.withdrawing),
          withdrawnText: formatMoney(w.withdrawn),
          available: w.withdrawable,
          minFen: w.rules.minFen,
          rulesText: rulesText(w),
        },
        ledger: w.ledger.map(ledgerLine),
      });
    },
    async loadWithdrawals(page: number): Promise<void> {
      const res = await myWithdrawals(page, PAGE, { silent: true });
      const waiting = { ...(page === 1 ? {} : this.data.waiting) };
      for (const w of res.data) if (w.status === 'wait_user_confirm') waiting[w.withdrawalNo] = w;
      const rows = res.data.map(withdrawalRow);
      this.setData({
        withdrawals: page === 1 ? rows : [...this.data.withdrawals, ...rows],
        withdrawalsPage: page,
        withdrawalsMore: hasMore(res.pagination),
        waiting,
      });
    },
    onAmountInput(e: WechatMiniprogram.Input): void {
      this.setData({ amount: e.detail.value, attemptKey: '', formError: '' });
    },
    onAll(): void {
      const w = this.data.wallet;
      if (w) this.setData({ amount: fenToYuan(w.available), attemptKey: '', formError: '' });
    },
    async onWithdraw(): Promise<void> {
      const w = this.data.wallet;
      if (this.data.busy || !w) return;
      const fen = parseYuan(this.data.amount);
      if (fen === null || fen <= 0) return this.setData({ formError: '请输入提现金额' });
      if (fen < w.minFen) return this.setData({ formError: `单笔最低提现 ${formatMoney(w.minFen)}` });
      if (fen > w.available) return this.setData({ formError: `可提现余额为 ${formatMoney(w.available)}` });
      const attemptKey = this.data.attemptKey || newIdempotencyKey();
      this.setData({ busy: true, formError: '', attemptKey });
      try {
        const made = await withdraw(fen, attemptKey);
        this.setData({ amount: '', attemptKey: '' });
        if (made.status === 'reviewing') {
          wx.showModal({
            title: '提现已提交',
            content: `${formatMoney(made.amount)} 需平台审核，审核通过后会通知你确认收款。`,
            showCancel: false,
          });
        } else if (made.status === 'wait_user_confirm') {
          await this.receive(made);
        } else if (made.status === 'approved') {
          // WeChat Pay did not answer in time: the API creates the bill shortly; wait for it here a while.
          const ready = await this.awaitBill(made.withdrawalNo);
          if (ready) await this.receive(ready);
          else wx.showToast({ title: '转账单生成中，稍后可在提现记录中确认收款', icon: 'none' });
        }
        await this.load();
      } catch (err) {
        // A refusal (balance, daily limit) is the API's words; a lost answer keeps the key for the retry.
        const lost = (err as ApiError).code === 'NETWORK';
        this.setData({ formError: lost ? '网络异常，请重试（不会重复提现）' : (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
    async onConfirm(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const w = this.data.waiting[String(e.currentTarget.dataset.no)];
      if (!w || this.data.confirming) return;
      await this.receive(w);
      await this.load();
    },
    /** Asks WeChat to show the transfer's confirmation (收款) page, then waits for the API's word on it. */
    async receive(w: Withdrawal): Promise<void> {
      this.setData({ confirming: w.withdrawalNo });
      try {
        if (isDevTransfer(w)) {
          // The API's dev pay: no WeChat page; the API sends itself the signed transfer notify.
          await devConfirmWithdrawal(w.withdrawalNo);
        } else {
          const confirmed = await new Promise<boolean>((resolve) => {
            if (typeof wx.requestMerchantTransfer !== 'function') {
              wx.showModal({
                title: '请升级微信',
                content: '当前微信版本不支持确认收款，请升级到最新版本后重试。',
                showCancel: false,
              });
              resolve(false);
              return;
            }
            wx.requestMerchantTransfer({
              mchId: w.mchId ?? '',
              appId: w.appId ?? '',
              package: w.packageInfo ?? '',
              success: () => resolve(true),
              fail: () => resolve(false),
            });
          });
          if (!confirmed) {
            wx.showToast({ title: '未确认收款，可稍后在提现记录中确认', icon: 'none' });
            return;
          }
        }
        await this.awaitOutcome(w.withdrawalNo);
      } finally {
        this.setData({ confirming: '' });
      }
    },
    /** The withdrawal once its transfer bill exists (waiting for the electrician), or null after a while. */
    async awaitBill(withdrawalNo: string): Promise<Withdrawal | null> {
      for (let attempt = 0; attempt < CONFIRM_POLL.attempts; attempt += 1) {
        await sleep(CONFIRM_POLL.intervalMs);
        const now = await getWithdrawal(withdrawalNo, { silent: true }).catch(() => null);
        if (now?.status === 'wait_user_confirm' && now.packageInfo) return now;
        if (now && now.status !== 'approved') return null;
      }
      return null;
    },
    /** The money arrived when the API says so (after WeChat Pay's notify), not when WeChat's page closes. */
    async awaitOutcome(withdrawalNo: string): Promise<void> {
      for (let attempt = 0; attempt < CONFIRM_POLL.attempts; attempt += 1) {
        const now = await getWithdrawal(withdrawalNo, { silent: true }).catch(() => null);
        if (now?.status === 'succeeded') {
          wx.showToast({ title: '已到账微信零钱', icon: 'success' });
          return;
        }
        if (now && (now.status === 'failed' || now.status === 'cancelled')) {
          wx.showModal({
            title: '提现未成功',
            content: `${now.reason || '转账未完成'}，金额已退回可提现余额。`,
            showCancel: false,
          });
          return;
        }
        await sleep(CONFIRM_POLL.intervalMs);
      }
      wx.showToast({ title: '到账结果确认中，稍后会通知你', icon: 'none' });
    },
  },
});
