/** My invoices (我的发票): every request, newest first; a row opens its order's invoice page. */
import { INVOICE_STATUS_TEXT, myInvoices, type Invoice } from '../../../services/invoices';
import { formatTime } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { hasMore } from '../../../utils/order-view';

const PAGE = 20;

interface Row {
  id: number;
  orderId: number;
  title: string;
  meta: string;
  amountText: string;
  status: Invoice['status'];
  statusText: string;
}

function row(i: Invoice): Row {
  return {
    id: i.id,
    orderId: i.orderId,
    title: `${i.titleType === 'company' ? '企业' : '个人'} · ${i.title}`,
    meta: i.status === 'issued' ? `发票号码 ${i.invoiceNo ?? ''}` : `申请于 ${formatTime(i.createdAt)}`,
    amountText: formatMoney(i.amount),
    status: i.status,
    statusText: INVOICE_STATUS_TEXT[i.status],
  };
}

Component({
  data: {
    loading: true,
    error: '',
    rows: [] as Row[],
    page: 0,
    more: false,
  },
  methods: {
    onShow(): void {
      void this.load(1);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(1);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      if (this.data.more) void this.load(this.data.page + 1);
    },
    async load(page: number): Promise<void> {
      this.setData({ error: '' });
      try {
        const res = await myInvoices(page, PAGE, { silent: true });
        const rows = res.data.map(row);
        this.setData({ rows: page === 1 ? rows : [...this.data.rows, ...rows], page, more: hasMore(res.pagination) });
      } catch (err) {
        if (page === 1) this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ loading: false });
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `/pages/user/invoice/invoice?orderId=${String(e.currentTarget.dataset.order)}` });
    },
    onOrders(): void {
      wx.switchTab({ url: '/pages/orders/orders' });
    },
  },
});
