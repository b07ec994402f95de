import { SUBSCRIBE_MOMENTS, subscribeTemplateIds } from '../../../config/index';
import { requestSubscriptions } from '../../../services/messages';
import { orderDetail, type Order } from '../../../services/orders';
import { createPayment, devSucceed, getPayment, isDevPay, type PaymentParams } from '../../../services/payments';
import { formatMoney } from '../../../utils/money';
import { quoteLines, type PriceLine } from '../../../utils/price-lines';

/** How long the page waits for the API to see the payment as paid (WeChat's notify can lag). */
export const PAY_POLL = { intervalMs: 1000, attempts: 15 };

/** What is paid for: the visit fee of a cancellation after arrival, else the quote line by line. */
function breakdown(o: Order): PriceLine[] {
  if (o.status === 'cancelled')
    return [{ key: 'visit', kind: 'fee', label: '上门费', detail: '电工上门后取消', amountText: formatMoney(o.amountDue) }];
  return quoteLines(o);
}

function wxPay(params: PaymentParams): Promise<'paid' | 'cancelled'> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      ...params,
      success: () => resolve('paid'),
      fail: (err) => (/cancel/.test(err.errMsg) ? resolve('cancelled') : reject(new Error(err.errMsg))),
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Component({
  data: {
    orderId: 0,
    loading: true,
    error: '',
    orderNo: '',
    title: '',
    lines: [] as PriceLine[],
    amount: 0,
    amountText: '',
    state: 'due' as 'due' | 'none' | 'paying' | 'confirming' | 'paid',
    paidText: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ orderId: Number(query.orderId) || 0 });
    },
    onShow(): void {
      if (this.data.state !== 'paying' && this.data.state !== 'confirming') void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const o = await orderDetail(this.data.orderId);
        const paid = o.paymentStatus !== 'unpaid';
        this.setData({
          loading: false,
          orderNo: o.orderNo,
          title: o.title,
          lines: breakdown(o),
          amount: o.amountDue,
          amountText: formatMoney(paid ? (o.finalAmount ?? 0) : o.amountDue),
          state: paid ? 'paid' : o.amountDue > 0 ? 'due' : 'none',
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    async onPay(): Promise<void> {
      if (this.data.state !== 'due') return;
      this.setData({ state: 'paying' });
      try {
        // Asked inside the tap, before the cashier: paid, completed and refunded notices.
        await requestSubscriptions(subscribeTemplateIds(SUBSCRIBE_MOMENTS.beforePaying));
        const payment = await createPayment(this.data.orderId, this.data.amount);
        if (isDevPay(payment.paymentParams)) {
          // The API's dev pay: no WeChat cashier; the API sends itself the signed success notify.
          await devSucceed(payment.paymentNo);
        } else if ((await wxPay(payment.paymentParams)) === 'cancelled') {
          wx.showToast({ title: '已取消支付', icon: 'none' });
          this.setData({ state: 'due' });
          return;
        }
        this.setData({ state: 'confirming' });
        await this.confirm(payment.paymentNo);
      } catch (err) {
        if (!(err instanceof Error && 'code' in err)) wx.showToast({ title: '支付未完成，请重试', icon: 'none' });
        this.setData({ state: 'due' });
      }
    },
    /** The payment is paid when the API says so (after WeChat Pay's notify), not when the cashier closes. */
    async confirm(paymentNo: string): Promise<void> {
      for (let attempt = 0; attempt < PAY_POLL.attempts; attempt += 1) {
        const p = await getPayment(paymentNo, { silent: true }).catch(() => null);
        if (p?.status === 'paid') {
          this.setData({ state: 'paid', paidText: formatMoney(p.amount), amountText: formatMoney(p.amount) });
          wx.showToast({ title: '支付成功', icon: 'success' });
          return;
        }
        if (p && p.status !== 'pending') break;
        await sleep(PAY_POLL.intervalMs);
      }
      wx.showModal({ title: '支付结果确认中', content: '如已扣款，订单状态稍后会更新；请勿重复支付', showCancel: false });
      await this.load();
    },
    onReview(): void {
      wx.redirectTo({ url: `/pages/user/evaluate/evaluate?orderId=${this.data.orderId}` });
    },
    onBack(): void {
      wx.navigateBack({ delta: 1 });
    },
  },
});
