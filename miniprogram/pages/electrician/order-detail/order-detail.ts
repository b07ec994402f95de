import { orderConversation } from '../../../services/chat';
import { fileUrl } from '../../../services/files';
import {
  arriveOrder,
  grabOrder,
  orderDetail,
  quoteOrder,
  releaseOrder,
  type FaultType,
  type Order,
  type OrderPublic,
  type QuoteItem,
} from '../../../services/orders';
import { realtime } from '../../../services/realtime';
import { cancelPartsRequest, orderPartsRequests, PARTS_STATUS_TEXT, partsText, type PartsRequest } from '../../../services/parts';
import { catalogPick } from '../../../stores/catalog-pick';
import type { ApiError } from '../../../services/request';
import { FAULT_TYPE_TEXT, GRAB_LOST, currentLocation } from '../../../utils/electrician';
import { formatTime, orderStatusText } from '../../../utils/format';
import { fenToYuan, formatMoney, parseYuan } from '../../../utils/money';
import { quoteLines, visitFeeLine, type PriceLine } from '../../../utils/price-lines';

interface QuoteRow {
  name: string;
  quantity: string;
  unitPrice: string;
  /** A line from the price list: its item, and its prices to quote against ('标准价 ¥30.00/个 · 最高 ¥50.00'). */
  catalogItemId?: number;
  hint?: string;
}

interface View {
  id: number;
  /** The full view (this electrician is assigned); otherwise the hall's masked projection. */
  assigned: boolean;
  orderNo: string;
  status: string;
  statusText: string;
  title: string;
  faultType: FaultType;
  faultText: string;
  urgent: boolean;
  description: string;
  images: string[];
  contactName: string;
  contactPhone: string;
  region: string;
  address: string;
  latitude: number;
  longitude: number;
  scheduledText: string;
  visitFeeText: string;
  estimateText: string;
  /** The fees card: the visit fee and the quote line by line, then what is due (or quoted, or estimated). */
  priceLines: PriceLine[];
  total: { label: string; text: string; note: string };
  repairContent: string;
  repairImages: string[];
  acceptedText: string;
  arrivedText: string;
}

/** A parts request as the order's 配件 card shows it. */
interface PartsRow {
  id: number;
  statusText: string;
  tone: 'wait' | 'ok' | 'done' | 'off';
  warehouseName: string;
  partsText: string;
  reason: string;
  canCancel: boolean;
  canSettle: boolean;
}

const PARTS_TONE: Record<PartsRequest['status'], PartsRow['tone']> = {
  pending: 'wait',
  approved: 'ok',
  issued: 'ok',
  settled: 'done',
  rejected: 'off',
  cancelled: 'off',
};

function partsRow(r: PartsRequest): PartsRow {
  return {
    id: r.id,
    statusText: PARTS_STATUS_TEXT[r.status],
    tone: PARTS_TONE[r.status],
    warehouseName: r.warehouseName,
    partsText: partsText(r),
    reason: r.reason ?? '',
    canCancel: r.status === 'pending' || r.status === 'approved',
    canSettle: r.status === 'issued',
  };
}

/** While the repair is under way parts may be asked for (the API's rule: accepted … in progress). */
const PARTS_OPEN = new Set(['accepted', 'arrived', 'quoted', 'in_progress']);

const PAYMENT_TEXT: Record<Order['paymentStatus'], string> = {
  unpaid: '客户未支付',
  paid: '客户已支付',
  refunded: '已全额退款',
  partial_refund: '已部分退款',
};

/** What the order comes to: due once final, else the quote, else the estimate. */
function totalOf(o: Partial<Order> & OrderPublic): View['total'] {
  if (o.finalAmount !== null && o.finalAmount !== undefined)
    return { label: '应收', text: formatMoney(o.finalAmount), note: o.paymentStatus ? PAYMENT_TEXT[o.paymentStatus] : '' };
  if (o.quotedAmount !== null && o.quotedAmount !== undefined)
    return { label: '报价', text: formatMoney(o.quotedAmount), note: '' };
  return { label: '预估', text: formatMoney(o.estimatedAmount), note: '' };
}

/** An order as the API showed it to this electrician: full when assigned, masked (no address) otherwise. */
function toView(order: Order | OrderPublic): View {
  const assigned = 'address' in order;
  const o: Partial<Order> & OrderPublic = order;
  return {
    id: o.id,
    assigned,
    orderNo: o.orderNo,
    status: o.status,
    statusText: orderStatusText(o.status),
    title: o.title,
    faultType: o.faultType,
    faultText: FAULT_TYPE_TEXT[o.faultType] ?? o.faultType,
    urgent: o.priority === 'urgent',
    description: o.description,
    images: o.images.map((i) => fileUrl(i.url)),
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    region: o.region,
    address: o.address ?? '',
    latitude: o.latitude ?? 0,
    longitude: o.longitude ?? 0,
    scheduledText: formatTime(o.scheduledAt),
    visitFeeText: formatMoney(o.visitFee),
    estimateText: formatMoney(o.estimatedAmount),
    priceLines: [visitFeeLine(o), ...quoteLines({ quoteItems: o.quoteItems ?? null, quotedAmount: o.quotedAmount ?? null })],
    total: totalOf(o),
    repairContent: o.repairContent ?? '',
    repairImages: (o.repairImages ?? []).map((i) => fileUrl(i.url)),
    acceptedText: formatTime(o.acceptedAt ?? null),
    arrivedText: formatTime(o.arrivedAt ?? null),
  };
}

/** The quote as the API takes it, or the first problem with the form. */
function readQuote(rows: QuoteRow[], labourFee: string, note: string) {
  const items: QuoteItem[] = [];
  for (const [i, r] of rows.entries()) {
    const name = r.name.trim();
    const quantity = Number(r.quantity);
    const unitPrice = parseYuan(r.unitPrice);
    if (r.catalogItemId === undefined && (!name || name.length > 50))
      return { error: `第 ${i + 1} 项请填写材料名称（50 字以内）` };
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 999) return { error: `第 ${i + 1} 项数量需为 1–999 的整数` };
    if (unitPrice === null) return { error: `第 ${i + 1} 项单价不正确` };
    items.push(
      r.catalogItemId !== undefined ? { catalogItemId: r.catalogItemId, quantity, unitPrice } : { name, quantity, unitPrice },
    );
  }
  const labour = parseYuan(labourFee);
  if (labour === null) return { error: '请填写人工费（元，最多两位小数）' };
  const trimmed = note.trim();
  return { body: { items, labourFee: labour, ...(trimmed ? { note: trimmed } : {}) } };
}

const RELEASE_REASONS = ['临时有事无法上门', '距离太远赶不过去', '客户要求更换师傅', '超出我的维修范围'];

/** How often the position is sent while on the way (the API passes it on at most every 10 s). */
export const ON_THE_WAY_SHARE_MS = 10_000;
const sharing = new WeakMap<object, ReturnType<typeof setInterval>>();

Component({
  data: {
    id: 0,
    loading: true,
    error: '',
    order: null as View | null,
    busy: false,
    // quote builder
    quoteRows: [] as QuoteRow[],
    labourFee: '',
    quoteNote: '',
    quoteTotalText: formatMoney(0),
    quoteError: '',
    // release
    releaseReasons: RELEASE_REASONS,
    releasing: false,
    // parts
    parts: [] as PartsRow[],
    partsOpen: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
      const off = realtime.on('order-status-update', (push) => {
        if (push.orderId === this.data.id) void this.load();
      });
      offs.set(this, off);
    },
    onShow(): void {
      realtime.connect();
      // Back from the price list with an item for the quote.
      const picked = catalogPick.take();
      if (picked) {
        const row: QuoteRow = {
          name: picked.name,
          quantity: '1',
          unitPrice: fenToYuan(picked.standardPrice),
          catalogItemId: picked.id,
          hint: `标准价 ${formatMoney(picked.standardPrice)}/${picked.unit} · 最高 ${formatMoney(picked.maxPrice)}`,
        };
        this.setData({ quoteRows: [...this.data.quoteRows, row], quoteError: '' });
        this.updateTotal();
      }
      void this.load();
    },
    onHide(): void {
      this.stopSharing();
    },
    onUnload(): void {
      offs.get(this)?.();
      offs.delete(this);
      this.stopSharing();
    },
    /**
     * While the order is accepted (on the way), the position goes to the server every
     * ON_THE_WAY_SHARE_MS; the customer sees it as electrician-location. Stops on arrival or leaving.
     */
    startSharing(): void {
      if (sharing.has(this)) return;
      const share = () =>
        currentLocation()
          .then((at) => realtime.emit('update_location', at))
          .catch(() => undefined); // a missed report is replaced by the next one
      void share();
      sharing.set(
        this,
        setInterval(() => void share(), ON_THE_WAY_SHARE_MS),
      );
    },
    stopSharing(): void {
      const timer = sharing.get(this);
      if (timer) clearInterval(timer);
      sharing.delete(this);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load(): Promise<void> {
      this.setData({ loading: this.data.order === null, error: '' });
      try {
        const order = await orderDetail(this.data.id);
        const assigned = 'address' in order;
        // The parts card: a failure to read it leaves the order readable (and says nothing).
        const parts = assigned ? await orderPartsRequests(this.data.id, { silent: true }).catch(() => []) : [];
        this.setData({
          order: toView(order),
          loading: false,
          parts: parts.map(partsRow),
          partsOpen: assigned && PARTS_OPEN.has(order.status),
        });
        if (order.status === 'accepted') this.startSharing();
        else this.stopSharing();
      } catch (err) {
        this.setData({ loading: false, order: null, error: (err as Error).message });
      }
    },

    onNavigate(): void {
      const o = this.data.order;
      if (!o) return;
      wx.openLocation({ latitude: o.latitude, longitude: o.longitude, name: o.region, address: o.address, scale: 16 });
    },
    onCall(): void {
      const o = this.data.order;
      if (o) wx.makePhoneCall({ phoneNumber: o.contactPhone });
    },
    async onArrive(): Promise<void> {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        const at = await currentLocation();
        const order = await arriveOrder(this.data.id, at);
        this.setData({ order: toView(order) });
        wx.showToast({ title: '已签到到场', icon: 'success' });
      } catch (err) {
        // request.ts toasts API errors; a refused location is explained here.
        if (!(err as { code?: string }).code) wx.showToast({ title: (err as Error).message, icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },

    /** A pending order opened from a push or a link: grab it here. */
    async onGrab(): Promise<void> {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        this.setData({ order: toView(await grabOrder(this.data.id, { silent: true })) });
        wx.showToast({ title: '抢单成功', icon: 'success' });
      } catch (err) {
        const e = err as ApiError;
        wx.showToast({ title: e.code === 'ORDER_TAKEN' ? GRAB_LOST : e.message, icon: 'none' });
        await this.load();
      } finally {
        this.setData({ busy: false });
      }
    },

    // --- quote builder
    onPickCatalog(): void {
      const fault = this.data.order?.faultType;
      wx.navigateTo({ url: `/pages/user/price-list/price-list?select=1${fault ? `&faultType=${fault}` : ''}` });
    },
    onAddItem(): void {
      this.setData({ quoteRows: [...this.data.quoteRows, { name: '', quantity: '1', unitPrice: '' }] });
      this.updateTotal();
    },
    onRemoveItem(e: WechatMiniprogram.BaseEvent): void {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ quoteRows: this.data.quoteRows.filter((_, i) => i !== index) });
      this.updateTotal();
    },
    onItemInput(e: WechatMiniprogram.Input): void {
      const { index, field } = e.currentTarget.dataset as { index: number; field: keyof QuoteRow };
      this.setData({ [`quoteRows[${Number(index)}].${field}`]: e.detail.value, quoteError: '' });
      this.updateTotal();
    },
    onLabourInput(e: WechatMiniprogram.Input): void {
      this.setData({ labourFee: e.detail.value, quoteError: '' });
      this.updateTotal();
    },
    onNoteInput(e: WechatMiniprogram.Input): void {
      this.setData({ quoteNote: e.detail.value });
    },
    updateTotal(): void {
      const d = this.data;
      const items = d.quoteRows.reduce((sum, r) => sum + (parseYuan(r.unitPrice) ?? 0) * (Number(r.quantity) || 0), 0);
      this.setData({ quoteTotalText: formatMoney(items + (parseYuan(d.labourFee) ?? 0)) });
    },
    async onSubmitQuote(): Promise<void> {
      if (this.data.busy) return;
      const read = readQuote(this.data.quoteRows, this.data.labourFee, this.data.quoteNote);
      if (!read.body) {
        this.setData({ quoteError: read.error });
        return;
      }
      this.setData({ busy: true, quoteError: '' });
      try {
        const order = await quoteOrder(this.data.id, read.body);
        this.setData({ order: toView(order), quoteRows: [], labourFee: '', quoteNote: '', quoteTotalText: formatMoney(0) });
        wx.showToast({ title: '报价已发送', icon: 'success' });
      } catch (err) {
        this.setData({ quoteError: (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },

    // --- release back to the hall
    onStartRelease(): void {
      this.setData({ releasing: !this.data.releasing });
    },
    async onRelease(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const reason = RELEASE_REASONS[Number(e.currentTarget.dataset.index)];
      if (!reason || this.data.busy) return;
      this.setData({ busy: true });
      try {
        await releaseOrder(this.data.id, reason);
        wx.showToast({ title: '已释放，订单回到大厅', icon: 'none' });
        wx.navigateBack({ delta: 1 });
      } catch {
        // request.ts showed the error.
      } finally {
        this.setData({ busy: false, releasing: false });
      }
    },

    async onChat(): Promise<void> {
      const conversation = await orderConversation(this.data.id).catch(() => null);
      if (!conversation) {
        wx.showToast({ title: '暂时无法打开会话，请稍后重试', icon: 'none' });
        return;
      }
      wx.navigateTo({ url: `/pages/common/chat/chat?conversationId=${conversation.id}&orderId=${this.data.id}` });
    },
    // --- parts
    onAskParts(): void {
      wx.navigateTo({ url: `/pages/electrician/parts/parts?orderId=${this.data.id}` });
    },
    onSettleParts(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({
        url: `/pages/electrician/parts/parts?orderId=${this.data.id}&requestId=${String(e.currentTarget.dataset.id)}`,
      });
    },
    onCancelParts(e: WechatMiniprogram.BaseEvent): void {
      const id = Number(e.currentTarget.dataset.id);
      wx.showModal({
        title: '撤回配件申请',
        content: '撤回后已预留的配件会退回仓库。',
        confirmText: '撤回',
        success: (r) => {
          if (!r.confirm) return;
          void cancelPartsRequest(id)
            .then(() => {
              wx.showToast({ title: '已撤回', icon: 'success' });
              return this.load();
            })
            .catch(() => undefined); // request.ts showed the error
        },
      });
    },
    onRepair(): void {
      wx.navigateTo({ url: `/pages/electrician/repair-input/repair-input?id=${this.data.id}` });
    },
  },
});

const offs = new WeakMap<object, () => void>();
