import { SUBSCRIBE_MOMENTS, subscribeTemplateIds } from '../../config/index';
import {
  myEarnings,
  myElectricianProfile,
  updateMyElectricianProfile,
  WORK_STATUS_TEXT,
  type Earnings,
  type Electrician,
  type WorkStatus,
} from '../../services/electricians';
import { requestSubscriptions } from '../../services/messages';
import { formatMoney } from '../../utils/money';
import { openSetting } from '../../utils/permission';
import { acceptDispatch, grabOrder, hall, rejectDispatch, type FaultType, type OrderPublic } from '../../services/orders';
import { realtime, type RealtimeStatus } from '../../services/realtime';
import type { DispatchOfferPush, NewOrderPush } from '../../services/realtime-events';
import type { ApiError } from '../../services/request';
import {
  ELECTRICIAN_TIMING,
  FAULT_TYPE_TEXT,
  FAULT_TYPES,
  GRAB_LOST,
  currentLocation,
  hallCard,
  type HallCard,
} from '../../utils/electrician';

const RADII = [3, 5, 10, 20, 50];
const PAGE_SIZE = 10;
const DETAIL = '/pages/electrician/order-detail/order-detail';
const CONNECTION_TEXT: Record<RealtimeStatus, string> = {
  connecting: '正在连接…',
  connected: '实时推送已连接',
  disconnected: '实时推送已断开，正在重连',
};

/** <map> markers and circles (the typings describe only the MapContext API). */
interface MapMarker {
  id: number;
  latitude: number;
  longitude: number;
  title: string;
  iconPath: string;
  width: number;
  height: number;
}

const ICONS = {
  me: '/assets/icons/marker-me.png',
  order: '/assets/icons/marker-order.png',
  urgent: '/assets/icons/marker-urgent.png',
};
interface MapCircle {
  latitude: number;
  longitude: number;
  radius: number;
  color: string;
  fillColor: string;
  strokeWidth: number;
}

/** The workspace header's figures; dashes until (or when) the earnings cannot be read. */
function todayView(e: Earnings | null) {
  return {
    incomeText: e ? formatMoney(e.today.income) : '--',
    acceptedText: e ? `${e.today.accepted} 单` : '--',
    pendingText: e ? formatMoney(e.pendingSettlement) : '--',
  };
}

const STATUS_HINT: Record<WorkStatus, string> = {
  available: '附近的新订单和派单会实时推送给你',
  busy: '忙碌中不接新单，忙完打开开关继续接单',
  offline: '打开开关开始接单',
};

interface Offer {
  orderId: number;
  card: HallCard;
  expiresAt: number;
  secondsLeft: number;
}

/** What a page instance holds outside `data`: subscriptions and timers. */
interface Private {
  offs: (() => void)[];
  locationTimer?: ReturnType<typeof setInterval>;
  countdown?: ReturnType<typeof setInterval>;
  wasDisconnected: boolean;
  /** Between onShow and onHide/onUnload: a refresh that ends after the hall was left keeps the screen off. */
  shown: boolean;
}
const privates = new WeakMap<object, Private>();
function own(page: object): Private {
  let p = privates.get(page);
  if (!p) privates.set(page, (p = { offs: [], wasDisconnected: false, shown: false }));
  return p;
}

Component({
  data: {
    loading: true,
    error: '',
    orders: [] as HallCard[],
    page: 1,
    total: 0,
    loadingMore: false,
    faultOptions: ['全部类型', ...FAULT_TYPES.map((t) => FAULT_TYPE_TEXT[t])],
    faultIndex: 0,
    radiusOptions: RADII.map((r) => `${r} 公里内`),
    radiusIndex: 2,
    mapMode: false,
    latitude: 0,
    longitude: 0,
    markers: [] as MapMarker[],
    circles: [] as MapCircle[],
    connectionText: '',
    notice: '',
    grabbingId: 0,
    offer: null as Offer | null,
    /** The order opened from a card or a marker: the sheet to read it before grabbing. */
    preview: null as HallCard | null,
    /** Location permission refused: the hall uses the last known position and offers 去设置. */
    locationDenied: false,
    // --- the workspace header
    /** Approved and available: the hall is listed and pushes arrive. */
    online: false,
    approved: false,
    switching: false,
    statusText: '正在获取接单状态',
    statusHint: '',
    today: todayView(null),
  },
  methods: {
    onLoad(): void {
      const p = own(this);
      p.offs.push(
        realtime.on('new-order', (push) => this.onNewOrder(push)),
        realtime.on('order-taken', ({ orderId }) => this.removeOrder(orderId)),
        realtime.on('dispatch-offer', (push) => this.onOffer(push)),
        realtime.onStatus((s) => this.onConnection(s)),
      );
    },
    onShow(): void {
      own(this).shown = true;
      realtime.connect();
      this.setData({ connectionText: CONNECTION_TEXT[realtime.status()] });
      void this.refresh();
    },
    onHide(): void {
      own(this).shown = false;
      this.stopLocationUpdates();
      wx.setKeepScreenOn({ keepScreenOn: false });
    },
    onUnload(): void {
      const p = own(this);
      p.shown = false;
      this.stopLocationUpdates();
      if (p.countdown) clearInterval(p.countdown);
      p.offs.splice(0).forEach((off) => off());
    },
    onPullDownRefresh(): void {
      void this.refresh().then(() => wx.stopPullDownRefresh());
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    /** Re-syncs everything from the API: location, work status, the list (pushes may have been missed). */
    async refresh(): Promise<void> {
      this.setData({ loading: true, error: '', notice: '' });
      let statusShown = false;
      try {
        let denied = false;
        const [profile, at] = await Promise.all([
          myElectricianProfile({ silent: true }),
          currentLocation().catch((err: { denied?: boolean }) => {
            denied = Boolean(err.denied);
            return null;
          }),
          this.loadToday(),
        ]);
        this.setData({ locationDenied: denied });
        statusShown = true;
        if (!this.showWorkStatus(profile)) {
          // Resting (or not approved yet): nothing to list, the screen may sleep, the position stays private.
          this.stopLocationUpdates();
          wx.setKeepScreenOn({ keepScreenOn: false });
          this.setData({ loading: false, orders: [], total: 0 });
          return;
        }
        const where =
          at ??
          (profile.latitude !== null && profile.longitude !== null
            ? { latitude: profile.latitude, longitude: profile.longitude }
            : null);
        if (!where) throw new Error('无法获取当前位置，请在设置中允许使用位置信息');
        this.setData({ latitude: where.latitude, longitude: where.longitude });
        const result = await hall(this.query(1));
        this.setData({ loading: false, orders: result.data.map(hallCard), page: 1, total: result.pagination.total });
        this.updateMap();
        // Left the hall while this refresh was loading: the screen stays off and the position unshared.
        if (!own(this).shown) return;
        // Online in the hall: the screen stays on, so a job is seen without unlocking the phone.
        wx.setKeepScreenOn({ keepScreenOn: true });
        this.startLocationUpdates();
      } catch (err) {
        this.stopLocationUpdates();
        wx.setKeepScreenOn({ keepScreenOn: false });
        this.setData({ loading: false, orders: [], error: (err as Error).message });
        // The profile did not load: the header says so rather than show a status it does not know.
        if (!statusShown) this.setData({ online: false, statusText: '接单状态未知', statusHint: '网络异常，下拉刷新后重试' });
      }
    },
    /** The header's status line; whether the electrician is online (approved and available). */
    showWorkStatus(profile: Electrician): boolean {
      const approved = profile.verificationStatus === 'approved';
      const online = approved && profile.workStatus === 'available';
      this.setData({
        approved,
        online,
        statusText: approved ? WORK_STATUS_TEXT[profile.workStatus] : '资质审核中',
        statusHint: approved ? STATUS_HINT[profile.workStatus] : '审核通过后即可在这里接单',
      });
      return online;
    },
    /** Today's income and orders; a failure leaves dashes, the hall itself still loads. */
    async loadToday(): Promise<void> {
      const earnings = await myEarnings(1, 1, { silent: true }).catch(() => null);
      this.setData({ today: todayView(earnings) });
    },
    /** The 接单 switch: on asks for job notifications (inside the tap) and goes available; off rests. */
    onOnlineChange(e: WechatMiniprogram.SwitchChange): void {
      void this.setWorkStatus(e.detail.value ? 'available' : 'offline');
    },
    onGoOnline(): void {
      void this.setWorkStatus('available');
    },
    async setWorkStatus(workStatus: WorkStatus): Promise<void> {
      if (workStatus === 'available') void requestSubscriptions(subscribeTemplateIds(SUBSCRIBE_MOMENTS.electricianOnline));
      this.setData({ switching: true });
      try {
        await updateMyElectricianProfile({ workStatus });
        wx.showToast({ title: workStatus === 'available' ? '已开始接单' : '已休息', icon: 'success' });
      } catch {
        // request.ts showed the API's message; the refresh below shows the stored status again.
      } finally {
        this.setData({ switching: false });
      }
      await this.refresh();
    },
    query(page: number) {
      const d = this.data;
      return {
        latitude: d.latitude,
        longitude: d.longitude,
        radiusKm: RADII[d.radiusIndex],
        faultType: d.faultIndex > 0 ? FAULT_TYPES[d.faultIndex - 1] : undefined,
        page,
        limit: PAGE_SIZE,
      };
    },
    async loadMore(): Promise<void> {
      const d = this.data;
      if (d.loading || d.loadingMore || d.error || d.orders.length >= d.total) return;
      this.setData({ loadingMore: true });
      try {
        const result = await hall(this.query(d.page + 1));
        const known = new Set(this.data.orders.map((o) => o.id));
        this.setData({
          orders: [...this.data.orders, ...result.data.filter((o) => !known.has(o.id)).map(hallCard)],
          page: d.page + 1,
          total: result.pagination.total,
        });
        this.updateMap();
      } catch {
        // request.ts showed the error; the next scroll retries.
      } finally {
        this.setData({ loadingMore: false });
      }
    },
    onFaultChange(e: WechatMiniprogram.PickerChange): void {
      this.setData({ faultIndex: Number(e.detail.value) });
      void this.refresh();
    },
    onRadiusChange(e: WechatMiniprogram.PickerChange): void {
      this.setData({ radiusIndex: Number(e.detail.value) });
      void this.refresh();
    },
    onToggleMap(): void {
      this.setData({ mapMode: !this.data.mapMode });
      this.updateMap();
    },
    /**
     * The map shows where the electrician is, the radius the list covers and each order at its
     * approximate location (rounded to about 1 km: the address stays private until accepted).
     */
    updateMap(): void {
      const { latitude, longitude, radiusIndex, orders } = this.data;
      this.setData({
        markers: [
          { id: 0, latitude, longitude, title: '我的位置', iconPath: ICONS.me, width: 28, height: 28 },
          ...orders.map((o) => ({
            id: o.id,
            latitude: o.approxLocation.latitude,
            longitude: o.approxLocation.longitude,
            title: `${o.faultText} ${o.distanceText}`,
            iconPath: o.urgent ? ICONS.urgent : ICONS.order,
            width: 32,
            height: 32,
          })),
        ],
        circles: [
          {
            latitude,
            longitude,
            radius: RADII[radiusIndex] * 1000,
            color: '#07c16088',
            fillColor: '#07c16018',
            strokeWidth: 2,
          },
        ],
      });
    },

    /** 去设置: back from the settings with location allowed, the hall reloads around the real position. */
    async onOpenSetting(): Promise<void> {
      if (await openSetting('scope.userLocation')) void this.refresh();
    },

    // --- preview sheet
    onOpenCard(e: WechatMiniprogram.BaseEvent): void {
      this.openPreview(Number(e.currentTarget.dataset.id));
    },
    onMarkerTap(e: { detail: { markerId: number } }): void {
      if (e.detail.markerId) this.openPreview(Number(e.detail.markerId));
    },
    openPreview(id: number): void {
      const card = this.data.orders.find((o) => o.id === id);
      if (card) this.setData({ preview: card });
    },
    onClosePreview(): void {
      this.setData({ preview: null });
    },
    /** Photos full screen before grabbing (the sheet's or a card's). */
    onPreviewPhoto(e: WechatMiniprogram.BaseEvent): void {
      const { id, src } = e.currentTarget.dataset as { id: number; src: string };
      const card = this.data.orders.find((o) => o.id === Number(id));
      if (card) wx.previewImage({ urls: card.images, current: src });
    },

    // --- live updates
    matchesFilters(o: OrderPublic): boolean {
      const d = this.data;
      const fault: FaultType | undefined = d.faultIndex > 0 ? FAULT_TYPES[d.faultIndex - 1] : undefined;
      if (fault && o.faultType !== fault) return false;
      return o.distanceKm === null || o.distanceKm <= RADII[d.radiusIndex];
    },
    onNewOrder(push: NewOrderPush): void {
      const order = push.orderInfo as unknown as OrderPublic;
      if (this.data.loading || this.data.error || !this.matchesFilters(order)) return;
      if (this.data.orders.some((o) => o.id === push.orderId)) return;
      const orders = [...this.data.orders, hallCard(order)].sort(
        (a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity),
      );
      this.setData({ orders, total: this.data.total + 1 });
      this.updateMap();
      // services/job-alerts.ts rings and vibrates for it, on this page as on any other.
    },
    removeOrder(orderId: number): void {
      if (this.data.orders.some((o) => o.id === orderId)) {
        this.setData({ orders: this.data.orders.filter((o) => o.id !== orderId), total: Math.max(0, this.data.total - 1) });
        this.updateMap();
      }
      if (this.data.offer?.orderId === orderId) this.closeOffer();
      if (this.data.preview?.id === orderId) this.setData({ preview: null });
    },
    onConnection(s: RealtimeStatus): void {
      const p = own(this);
      this.setData({ connectionText: CONNECTION_TEXT[s] });
      if (s === 'disconnected') p.wasDisconnected = true;
      else if (s === 'connected' && p.wasDisconnected) {
        // Pushes sent while the socket was down are lost: re-sync the list.
        p.wasDisconnected = false;
        void this.refresh();
      }
    },

    // --- grabbing
    async onGrab(e: WechatMiniprogram.TouchEvent): Promise<void> {
      const id = Number(e.currentTarget.dataset.id);
      if (!id || this.data.grabbingId) return;
      this.setData({ grabbingId: id, notice: '' });
      try {
        await grabOrder(id, { silent: true });
        this.setData({ preview: null });
        this.removeOrder(id);
        wx.showToast({ title: '抢单成功', icon: 'success' });
        wx.navigateTo({ url: `${DETAIL}?id=${id}` });
      } catch (err) {
        this.grabFailed(id, err as ApiError);
      } finally {
        this.setData({ grabbingId: 0 });
      }
    },
    grabFailed(id: number, err: ApiError): void {
      if (err.code === 'ORDER_TAKEN' || err.code === 'INVALID_TRANSITION' || err.code === 'NOT_FOUND') {
        this.removeOrder(id);
        const notice = err.code === 'ORDER_TAKEN' ? GRAB_LOST : '订单已失效';
        this.setData({ notice });
        wx.showToast({ title: notice, icon: 'none' });
      } else wx.showToast({ title: err.message, icon: 'none' });
    },

    // --- dispatch offers
    onOffer(push: DispatchOfferPush): void {
      const p = own(this);
      const expiresAt = Date.parse(push.expiresAt);
      const card = hallCard(push.orderInfo as unknown as OrderPublic);
      this.setData({ offer: { orderId: push.orderId, card, expiresAt, secondsLeft: secondsUntil(expiresAt) } });
      if (p.countdown) clearInterval(p.countdown);
      p.countdown = setInterval(() => {
        const offer = this.data.offer;
        if (!offer) return this.closeOffer();
        const secondsLeft = secondsUntil(offer.expiresAt);
        if (secondsLeft <= 0) {
          this.closeOffer();
          this.setData({ notice: '派单已超时，已转给其他师傅' });
        } else this.setData({ 'offer.secondsLeft': secondsLeft });
      }, 1000);
    },
    closeOffer(): void {
      const p = own(this);
      if (p.countdown) clearInterval(p.countdown);
      p.countdown = undefined;
      this.setData({ offer: null });
    },
    async onAcceptOffer(): Promise<void> {
      const offer = this.data.offer;
      if (!offer || this.data.grabbingId) return;
      this.setData({ grabbingId: offer.orderId });
      try {
        await acceptDispatch(offer.orderId, { silent: true });
        this.closeOffer();
        this.removeOrder(offer.orderId);
        wx.showToast({ title: '已接单', icon: 'success' });
        wx.navigateTo({ url: `${DETAIL}?id=${offer.orderId}` });
      } catch (err) {
        this.closeOffer();
        this.grabFailed(offer.orderId, err as ApiError);
      } finally {
        this.setData({ grabbingId: 0 });
      }
    },
    async onRejectOffer(): Promise<void> {
      const offer = this.data.offer;
      if (!offer) return;
      this.closeOffer();
      try {
        await rejectDispatch(offer.orderId, '暂时无法接单');
      } catch {
        // request.ts showed the error; the offer times out on the server anyway.
      }
    },

    // --- location while the hall is open
    startLocationUpdates(): void {
      const p = own(this);
      if (p.locationTimer) return;
      void this.reportLocation();
      p.locationTimer = setInterval(() => void this.reportLocation(), ELECTRICIAN_TIMING.locationIntervalMs);
    },
    stopLocationUpdates(): void {
      const p = own(this);
      if (p.locationTimer) clearInterval(p.locationTimer);
      p.locationTimer = undefined;
    },
    async reportLocation(): Promise<void> {
      try {
        const at = await currentLocation();
        await realtime.emit('update_location', at);
      } catch {
        // A missed report is replaced by the next one.
      }
    },
  },
});

function secondsUntil(ms: number): number {
  return Math.max(0, Math.ceil((ms - Date.now()) / 1000));
}
