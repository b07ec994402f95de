/**
 * The invoice (发票) of one paid order (`?orderId=`): the request form (personal or company title),
 * or, once requested, where the request stands and the issued invoice to open. A rejected request
 * shows why and may be sent again, corrected.
 */
import {
  getInvoice,
  INVOICE_STATUS_TEXT,
  openInvoiceFile,
  orderInvoice,
  requestInvoice,
  type Invoice,
  type TitleType,
} from '../../../services/invoices';
import { orderDetail } from '../../../services/orders';
import { fileUrl } from '../../../services/files';
import { formatTime } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { isCreditCode } from '../../../utils/tax-number';

const TITLE_MAX = 100;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Shown {
  id: number;
  statusText: string;
  status: Invoice['status'];
  titleTypeText: string;
  title: string;
  taxNumber: string;
  email: string;
  amountText: string;
  invoiceNo: string;
  timeText: string;
  issuedText: string;
  rejectReason: string;
  fileUrl: string;
  fileMime: string;
}

function shown(i: Invoice): Shown {
  return {
    id: i.id,
    statusText: INVOICE_STATUS_TEXT[i.status],
    status: i.status,
    titleTypeText: i.titleType === 'company' ? '企业' : '个人',
    title: i.title,
    taxNumber: i.taxNumber ?? '',
    email: i.email ?? '',
    amountText: formatMoney(i.amount),
    invoiceNo: i.invoiceNo ?? '',
    timeText: formatTime(i.createdAt),
    issuedText: formatTime(i.issuedAt ?? null),
    rejectReason: i.rejectReason ?? '',
    fileUrl: i.fileUrl ? fileUrl(i.fileUrl) : '',
    fileMime: i.fileMime ?? '',
  };
}

Component({
  data: {
    orderId: 0,
    loading: true,
    error: '',
    orderNo: '',
    /** The amount to invoice as the order shows it; refunds are taken off by the API. */
    amountText: '',
    partlyRefunded: false,
    invoice: null as Shown | null,
    /** Whether the form shows: no request yet, or the last one was rejected. */
    canRequest: false,
    titleType: 'personal' as TitleType,
    title: '',
    taxNumber: '',
    email: '',
    errors: {} as Record<string, string>,
    busy: false,
    opening: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ orderId: Number(query.orderId) || 0 });
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const [order, invoice] = await Promise.all([orderDetail(this.data.orderId), orderInvoice(this.data.orderId)]);
        const canRequest = !invoice || invoice.status === 'rejected';
        if (!canRequest) wx.setNavigationBarTitle({ title: '发票详情' });
        this.setData({
          orderNo: order.orderNo,
          amountText: formatMoney(order.finalAmount ?? 0),
          partlyRefunded: order.paymentStatus === 'partial_refund',
          invoice: invoice ? shown(invoice) : null,
          canRequest,
          // A rejected request comes back filled in, to be corrected rather than retyped.
          ...(invoice && canRequest
            ? {
                titleType: invoice.titleType,
                title: invoice.title,
                taxNumber: invoice.taxNumber ?? '',
                email: invoice.email ?? '',
              }
            : {}),
        });
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ loading: false });
      }
    },
    onTitleType(e: WechatMiniprogram.BaseEvent): void {
      this.setData({ titleType: e.currentTarget.dataset.type as TitleType, errors: {} });
    },
    onTitleInput(e: WechatMiniprogram.Input): void {
      this.setData({ title: e.detail.value, 'errors.title': '' });
    },
    onTaxNumberInput(e: WechatMiniprogram.Input): void {
      // Codes are printed in capitals; phones often type lower case.
      this.setData({ taxNumber: e.detail.value.toUpperCase().replace(/\s/g, ''), 'errors.taxNumber': '' });
    },
    onEmailInput(e: WechatMiniprogram.Input): void {
      this.setData({ email: e.detail.value.trim(), 'errors.email': '' });
    },
    /** The form's problems, in the customer's words; empty when it can be sent. */
    check(): Record<string, string> {
      const d = this.data;
      const errors: Record<string, string> = {};
      const title = d.title.trim();
      if (!title) errors.title = d.titleType === 'company' ? '请填写单位名称' : '请填写抬头（如个人姓名）';
      else if (title.length > TITLE_MAX) errors.title = `抬头最多 ${TITLE_MAX} 个字`;
      if (d.titleType === 'company' && !isCreditCode(d.taxNumber))
        errors.taxNumber = d.taxNumber ? '税号校验不通过，请核对 18 位统一社会信用代码' : '请填写税号（统一社会信用代码）';
      if (d.email && !EMAIL.test(d.email)) errors.email = '邮箱格式不正确';
      return errors;
    },
    async onSubmit(): Promise<void> {
      if (this.data.busy) return;
      const errors = this.check();
      this.setData({ errors });
      if (Object.keys(errors).length) return;
      const d = this.data;
      this.setData({ busy: true });
      try {
        const made = await requestInvoice(d.orderId, {
          titleType: d.titleType,
          title: d.title.trim(),
          ...(d.titleType === 'company' ? { taxNumber: d.taxNumber } : {}),
          ...(d.email ? { email: d.email } : {}),
        });
        wx.showToast({ title: '已提交开票申请', icon: 'success' });
        this.setData({ invoice: shown(made), canRequest: false });
        wx.setNavigationBarTitle({ title: '发票详情' });
      } catch {
        // request.ts showed the API's words (e.g. a request is already open).
      } finally {
        this.setData({ busy: false });
      }
    },
    async onOpen(): Promise<void> {
      const i = this.data.invoice;
      if (!i || this.data.opening) return;
      this.setData({ opening: true });
      try {
        // Signed URLs expire: ask for a fresh one when the page has been open a while.
        const fresh = await getInvoice(i.id, { silent: true }).catch(() => null);
        const url = fresh?.fileUrl ? fileUrl(fresh.fileUrl) : i.fileUrl;
        await openInvoiceFile(url, fresh?.fileMime ?? i.fileMime);
      } catch (err) {
        wx.showToast({ title: (err as Error).message, icon: 'none' });
      } finally {
        this.setData({ opening: false });
      }
    },
  },
});
