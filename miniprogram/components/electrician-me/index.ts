import { SUBSCRIBE_MOMENTS, subscribeTemplateIds } from '../../config/index';
import { logout } from '../../services/auth';
import { requestSubscriptions } from '../../services/messages';
import { TAB_PAGES } from '../../utils/landing';
import {
  electricianReviews,
  myEarnings,
  myElectricianProfile,
  replyToReview,
  updateMyElectricianProfile,
  VERIFICATION_TEXT,
  WORK_STATUS_TEXT,
  type Electrician,
  type Earnings,
  type UpdateMeBody,
  type WorkStatus,
} from '../../services/electricians';
import { fileUrl } from '../../services/files';
import type { ApiError } from '../../services/request';
import type { Review } from '../../services/reviews';
import { formatTime } from '../../utils/format';
import { fenToYuan, formatMoney, parseYuan } from '../../utils/money';
import { hasMore } from '../../utils/order-view';

const WORK_STATUSES: WorkStatus[] = ['available', 'busy', 'offline'];
const REVIEWS_PAGE = 10;
const APPLY = '/pages/electrician/apply/apply';

interface ReviewRow {
  id: number;
  reviewer: string;
  overall: number;
  overallText: string;
  content: string;
  tags: string[];
  images: string[];
  timeText: string;
  reply: string;
}

function reviewRow(r: Review): ReviewRow {
  return {
    id: r.id,
    reviewer: r.reviewer.nickname,
    overall: r.overallRating,
    overallText: r.overallRating.toFixed(1),
    content: r.content ?? '',
    tags: r.tags,
    images: r.images.map((i) => fileUrl(i.url)),
    timeText: formatTime(r.createdAt),
    reply: r.reply?.content ?? '',
  };
}

function earningsView(e: Earnings) {
  return {
    totalText: formatMoney(e.totalEarnings),
    pendingText: formatMoney(e.pendingSettlement),
    settledText: formatMoney(e.settled),
    items: e.items.map((i) => ({
      paymentNo: i.paymentNo,
      orderNo: i.orderNo,
      amountText: formatMoney(i.electricianAmount),
      stateText: i.settlementStatus === 'settled' ? '已结算' : '待结算',
      timeText: formatTime(i.paidAt),
    })),
  };
}

/** My electrician profile: work status, preferences, earnings, rating and reviews (with replies). */
Component({
  // Hosted by a tab page: the app's shared classes (app.wxss) apply inside.
  options: { styleIsolation: 'apply-shared' },
  data: {
    loading: true,
    error: '',
    /** Signed in but not an electrician yet (the API answers 404). */
    notApplied: false,
    profile: null as null | {
      id: number;
      realName: string;
      verificationStatus: string;
      verificationText: string;
      workIndex: number;
      emergencyAvailable: boolean;
      ratingText: string;
      ratingCount: number;
      completedOrders: number;
    },
    workOptions: WORK_STATUSES.map((s) => WORK_STATUS_TEXT[s]),
    minAmount: '',
    saving: false,
    earnings: null as null | ReturnType<typeof earningsView>,
    reviews: [] as ReviewRow[],
    reviewsPage: 0,
    reviewsMore: false,
    reviewsTotal: 0,
    drafts: {} as Record<number, string>,
  },
  methods: {
    /** Signs out (the next sign-in may be another account, e.g. the household's). */
    async onLogout(): Promise<void> {
      await logout();
      wx.reLaunch({ url: '/pages/index/index' });
    },
    onShow(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      if (this.data.reviewsMore && this.data.profile) void this.loadReviews(this.data.reviewsPage + 1);
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '', notApplied: false });
      try {
        const me = await myElectricianProfile({ silent: true });
        this.showProfile(me);
        if (me.verificationStatus === 'approved') {
          const [earnings] = await Promise.all([myEarnings(1, 5), this.loadReviews(1)]);
          this.setData({ earnings: earningsView(earnings) });
        }
      } catch (err) {
        if ((err as ApiError).code === 'NOT_FOUND') this.setData({ notApplied: true, profile: null });
        else this.setData({ error: (err as Error).message, profile: null });
      } finally {
        this.setData({ loading: false });
      }
    },
    showProfile(me: Electrician): void {
      this.setData({
        profile: {
          id: me.id,
          realName: me.realName,
          verificationStatus: me.verificationStatus,
          verificationText: VERIFICATION_TEXT[me.verificationStatus],
          workIndex: WORK_STATUSES.indexOf(me.workStatus),
          emergencyAvailable: me.emergencyAvailable,
          ratingText: me.ratingCount ? me.rating.toFixed(1) : '暂无',
          ratingCount: me.ratingCount,
          completedOrders: me.completedOrders,
        },
        minAmount: fenToYuan(me.minOrderAmount),
      });
    },
    async loadReviews(page: number): Promise<void> {
      const id = this.data.profile?.id;
      if (!id) return;
      const res = await electricianReviews(id, page, REVIEWS_PAGE);
      const rows = res.data.map(reviewRow);
      this.setData({
        reviews: page === 1 ? rows : [...this.data.reviews, ...rows],
        reviewsPage: page,
        reviewsMore: hasMore(res.pagination),
        reviewsTotal: res.pagination.total,
      });
    },
    /** Each setting is its own partial update, so two in flight do not overwrite each other. */
    async save(patch: UpdateMeBody, done: string): Promise<void> {
      this.setData({ saving: true });
      try {
        this.showProfile(await updateMyElectricianProfile(patch));
        wx.showToast({ title: done, icon: 'success' });
      } catch {
        // request.ts showed the API's message; show the stored values again.
        await this.load();
      } finally {
        this.setData({ saving: false });
      }
    },
    onWorkStatusChange(e: WechatMiniprogram.PickerChange): void {
      const workStatus = WORK_STATUSES[Number(e.detail.value)];
      // Going online: WeChat notifies about the orders while the app is closed (asked inside the gesture).
      if (workStatus === 'available') void requestSubscriptions(subscribeTemplateIds(SUBSCRIBE_MOMENTS.electricianOnline));
      void this.save({ workStatus }, '接单状态已更新');
    },
    onEmergencyChange(e: WechatMiniprogram.SwitchChange): void {
      void this.save({ emergencyAvailable: e.detail.value }, e.detail.value ? '已开启紧急派单' : '已关闭紧急派单');
    },
    onMinAmountInput(e: WechatMiniprogram.Input): void {
      this.setData({ minAmount: e.detail.value });
    },
    onSaveMinAmount(): void {
      const fen = parseYuan(this.data.minAmount);
      if (fen === null || fen > 1_000_000) {
        wx.showToast({ title: '起接金额为 0–10000 元', icon: 'none' });
        return;
      }
      void this.save({ minOrderAmount: fen }, '起接金额已保存');
    },
    onReplyInput(e: WechatMiniprogram.Input): void {
      this.setData({ [`drafts.${String(e.currentTarget.dataset.id)}`]: e.detail.value });
    },
    async onReply(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const id = Number(e.currentTarget.dataset.id);
      const content = (this.data.drafts[id] ?? '').trim();
      if (!content) {
        wx.showToast({ title: '请输入回复内容', icon: 'none' });
        return;
      }
      try {
        await replyToReview(id, content);
        this.setData({
          reviews: this.data.reviews.map((r) => (r.id === id ? { ...r, reply: content } : r)),
          [`drafts.${id}`]: '',
        });
        wx.showToast({ title: '回复成功', icon: 'success' });
      } catch {
        // request.ts showed the API's message (e.g. already replied).
      }
    },
    onWallet(): void {
      wx.navigateTo({ url: '/pages/electrician/wallet/wallet' });
    },
    onApply(): void {
      wx.navigateTo({ url: APPLY });
    },
    onDeleteAccount(): void {
      wx.navigateTo({ url: '/pages/user/delete-account/delete-account' });
    },
    onOrders(): void {
      wx.switchTab({ url: TAB_PAGES.orders });
    },
  },
});
