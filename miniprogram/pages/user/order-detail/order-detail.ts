import { orderConversation } from '../../../services/chat';
import { fileUrl } from '../../../services/files';
import {
  acceptQuote,
  cancelOrder,
  orderDetail,
  orderEvents,
  rejectQuote,
  type Order,
  type OrderEvent,
} from '../../../services/orders';
import { realtime } from '../../../services/realtime';
import type { ElectricianLocationPush } from '../../../services/realtime-events';
import { orderReview } from '../../../services/reviews';
import { formatTime, orderStatusText } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { quoteLines, type PriceLine } from '../../../utils/price-lines';

const ACTION_TEXT: Record<string, string> = {
  create: '提交订单',
  grab: '电工已接单',
  dispatch_accept: '电工已接单（派单）',
  assign: '平台已指派电工',
  unassign: '平台已改派',
  release: '电工已放弃，重新等待接单',
  arrive: '电工已上门',
  quote: '电工已报价',
  quote_reject: '你已拒绝报价',
  quote_accept: '你已确认报价，开始维修',
  complete: '维修完成',
  cancel: '订单已取消',
  expire: '订单已过期',
  pay: '支付成功',
  refund: '已退款',
  rework: '售后返修',
  parts_requested: '电工申请了维修配件',
  parts_approved: '配件申请已批准',
  parts_rejected: '配件申请未通过',
  parts_issued: '电工已领取配件',
  parts_cancelled: '电工撤回了配件申请',
  parts_settled: '电工已登记配件用量',
};

const CANCELLABLE = ['pending', 'accepted', 'arrived', 'quoted'];

interface View {
  id: number;
  orderNo: string;
  title: string;
  status: string;
  statusText: string;
  description: string;
  address: string;
  contact: string;
  scheduledText: string;
  createdText: string;
  images: string[];
  visitFeeText: string;
  estimateText: string;
  electrician: { name: string; phone: string | null; ratingText: string; completedOrders: number } | null;
  quote: { lines: PriceLine[]; totalText: string } | null;
  repairContent: string | null;
  repairImages: string[];
  amountDue: number;
  amountDueText: string;
  paid: boolean;
  canCancel: boolean;
  cancelRule: string;
  cancelReason: string | null;
  canPay: boolean;
  canReview: boolean;
  canComplain: boolean;
  canChat: boolean;
  latitude: number;
  longitude: number;
}

/** The electrician approaching (electrician-location while the order is accepted). */
interface OnTheWay {
  latitude: number;
  longitude: number;
  distanceText: string;
  etaMinutes: number;
  timeText: string;
  markers: { id: number; latitude: number; longitude: number; title: string; iconPath: string; width: number; height: number }[];
  points: { latitude: number; longitude: number }[];
}

function onTheWayView(push: ElectricianLocationPush, home: { latitude: number; longitude: number }): OnTheWay {
  const km = push.distanceKm;
  return {
    latitude: push.latitude,
    longitude: push.longitude,
    distanceText: km < 1 ? `${Math.round(km * 1000)} 米` : `${km.toFixed(1)} 公里`,
    etaMinutes: push.etaMinutes,
    timeText: formatTime(push.at),
    markers: [
      { id: 1, ...home, title: '维修地址', iconPath: '/assets/icons/marker-home.png', width: 28, height: 28 },
      {
        id: 2,
        latitude: push.latitude,
        longitude: push.longitude,
        title: '师傅',
        iconPath: '/assets/icons/marker-electrician.png',
        width: 32,
        height: 32,
      },
    ],
    points: [home, { latitude: push.latitude, longitude: push.longitude }],
  };
}

function toView(o: Order, reviewed: boolean): View {
  const paid = o.paymentStatus !== 'unpaid';
  return {
    id: o.id,
    orderNo: o.orderNo,
    title: o.title,
    status: o.status,
    statusText: orderStatusText(o.status),
    description: o.description,
    address: o.address,
    contact: `${o.contactName} ${o.contactPhone}`,
    scheduledText: o.scheduledAt ? formatTime(o.scheduledAt) : '尽快上门',
    createdText: formatTime(o.createdAt),
    images: o.images.map((i) => fileUrl(i.url)),
    visitFeeText: formatMoney(o.visitFee),
    estimateText: formatMoney(o.estimatedAmount),
    electrician: o.electrician && {
      name: o.electrician.name,
      phone: o.electrician.phone,
      ratingText: o.electrician.rating.toFixed(1),
      completedOrders: o.electrician.completedOrders,
    },
    quote: o.quoteItems && o.quotedAmount !== null ? { lines: quoteLines(o), totalText: formatMoney(o.quotedAmount) } : null,
    repairContent: o.repairContent,
    repairImages: o.repairImages.map((i) => fileUrl(i.url)),
    amountDue: o.amountDue,
    amountDueText: formatMoney(o.amountDue),
    paid,
    canCancel: CANCELLABLE.includes(o.status),
    cancelRule:
      o.cancelFee > 0
        ? `电工已上门，现在取消需支付上门费 ${formatMoney(o.cancelFee)}`
        : `电工上门前取消免费；上门后取消需支付上门费 ${formatMoney(o.visitFee)}`,
    cancelReason: o.cancelReason,
    canPay: !paid && o.amountDue > 0,
    canReview: o.status === 'completed' && paid && !reviewed,
    canComplain: o.status === 'completed' && paid,
    canChat: o.electricianId !== null,
    latitude: o.latitude,
    longitude: o.longitude,
  };
}

function timeline(events: OrderEvent[]) {
  return events.map((e) => ({ id: e.id, text: ACTION_TEXT[e.action] ?? e.action, timeText: formatTime(e.createdAt) })).reverse();
}

Component({
  data: {
    id: 0,
    loading: true,
    error: '',
    order: null as View | null,
    events: [] as { id: number; text: string; timeText: string }[],
    review: null as { overallText: string; content: string } | null,
    busy: false,
    onTheWay: null as OnTheWay | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) || 0 });
      const self = this as unknown as { offStatus?: () => void; offConnected?: () => void; offLocation?: () => void };
      // On the way: where the electrician is, while the order is accepted (never before or after).
      self.offLocation = realtime.on('electrician-location', (push) => {
        const order = this.data.order;
        if (push.orderId !== this.data.id || !order || order.status !== 'accepted') return;
        this.setData({ onTheWay: onTheWayView(push, { latitude: order.latitude, longitude: order.longitude }) });
      });
      // Live status: the push names the order; the page re-reads it (and the timeline) from the API.
      self.offStatus = realtime.on('order-status-update', (push) => {
        if (push.orderId !== this.data.id) return;
        wx.showToast({ title: push.message, icon: 'none' });
        void this.load();
      });
      // Pushes missed while the socket was down are not replayed: re-sync after each reconnect.
      self.offConnected = realtime.onStatus((s) => {
        if (s === 'connected' && this.data.order) void this.load();
      });
      realtime.connect();
    },
    onUnload(): void {
      const self = this as unknown as { offStatus?: () => void; offConnected?: () => void; offLocation?: () => void };
      self.offLocation?.();
      self.offStatus?.();
      self.offConnected?.();
    },
    onShow(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load(): Promise<void> {
      if (!this.data.id) {
        this.setData({ loading: false, error: '订单不存在' });
        return;
      }
      this.setData({ loading: !this.data.order, error: '' });
      try {
        const [order, events] = await Promise.all([orderDetail(this.data.id), orderEvents(this.data.id)]);
        const review = order.status === 'completed' ? await orderReview(order.id, { silent: true }).catch(() => null) : null;
        this.setData({
          loading: false,
          ...(order.status === 'accepted' ? {} : { onTheWay: null }),
          order: toView(order, review !== null),
          events: timeline(events),
          review: review && { overallText: review.overallRating.toFixed(1), content: review.content ?? '' },
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message, order: null });
      }
    },
    async act(run: () => Promise<unknown>, done: string): Promise<void> {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        await run();
        wx.showToast({ title: done, icon: 'success' });
      } catch {
        // request.ts has shown the API's message (e.g. 状态已变化); the reload shows the current state.
      } finally {
        this.setData({ busy: false });
        await this.load();
      }
    },
    onAcceptQuote(): void {
      wx.showModal({
        title: '确认报价',
        content: `确认后电工开始维修，完工后按 ${this.data.order?.quote?.totalText ?? ''} 支付`,
        success: (res) => {
          if (res.confirm) void this.act(() => acceptQuote(this.data.id), '已确认报价');
        },
      });
    },
    onRejectQuote(): void {
      wx.showModal({
        title: '拒绝报价',
        content: '电工可以重新报价；也可以直接取消订单',
        editable: true,
        placeholderText: '拒绝原因（选填）',
        success: (res) => {
          if (res.confirm) void this.act(() => rejectQuote(this.data.id, res.content?.trim() || undefined), '已拒绝报价');
        },
      });
    },
    onCancel(): void {
      const order = this.data.order;
      if (!order) return;
      wx.showModal({
        title: '取消订单',
        content: order.cancelRule,
        editable: true,
        placeholderText: '取消原因（选填）',
        success: (res) => {
          const reason = res.content?.trim();
          if (res.confirm)
            void this.act(() => cancelOrder(this.data.id, reason && reason.length >= 2 ? reason : '用户取消订单'), '订单已取消');
        },
      });
    },
    onPay(): void {
      wx.navigateTo({ url: `/pages/user/payment/payment?orderId=${this.data.id}` });
    },
    onReview(): void {
      wx.navigateTo({ url: `/pages/user/evaluate/evaluate?orderId=${this.data.id}` });
    },
    onInvoice(): void {
      wx.navigateTo({ url: `/pages/user/invoice/invoice?orderId=${this.data.id}` });
    },
    onComplain(): void {
      wx.navigateTo({ url: `/pages/user/complaint/complaint?orderId=${this.data.id}` });
    },
    async onChat(): Promise<void> {
      const conversation = await orderConversation(this.data.id).catch(() => null);
      if (!conversation) {
        wx.showToast({ title: '电工接单后才能聊天', icon: 'none' });
        return;
      }
      wx.navigateTo({ url: `/pages/common/chat/chat?conversationId=${conversation.id}&orderId=${this.data.id}` });
    },
    onCall(): void {
      const phone = this.data.order?.electrician?.phone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },
  },
});
