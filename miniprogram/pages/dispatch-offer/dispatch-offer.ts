/**
 * A dispatch offer, full screen, on whatever page the electrician was: the job, a live countdown to
 * its deadline, 接单 and 拒绝. Opened by services/job-alerts (the hall shows offers itself); when
 * the countdown reaches zero the offer has gone to another electrician and the page says so and
 * closes.
 */
import { acceptDispatch, rejectDispatch } from '../../services/orders';
import type { ApiError } from '../../services/request';
import { offerFor } from '../../services/job-alerts';
import { hallCard, type HallCard } from '../../utils/electrician';

const DETAIL = '/pages/electrician/order-detail/order-detail';
/** How long the "expired" or "rejected" state stays before the page closes itself. */
export const OFFER_TIMING = { closeAfterMs: 1500, tickMs: 1000 };

interface PageState {
  timer?: ReturnType<typeof setInterval>;
  closer?: ReturnType<typeof setTimeout>;
  expiresAt: number;
  orderId: number;
}

function secondsUntil(ms: number): number {
  return Math.max(0, Math.ceil((ms - Date.now()) / 1000));
}

Component({
  data: {
    card: null as HallCard | null,
    /** The region's last part (西湖区): the whole 浙江省 杭州市 西湖区 does not fit its column. */
    district: '',
    secondsLeft: 0,
    /** The countdown's share left, 0–100: the bar under the number. */
    percentLeft: 100,
    /** '' while the offer can be answered; else why it can't (shown instead of the buttons). */
    closed: '',
    busy: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const p = this as unknown as PageState;
      p.orderId = Number(query.orderId);
      const offer = offerFor(p.orderId);
      if (!offer) {
        this.close('派单已失效');
        return;
      }
      p.expiresAt = Date.parse(offer.expiresAt);
      const total = Math.max(1, secondsUntil(p.expiresAt));
      const card = hallCard(offer.orderInfo);
      this.setData({ card, district: card.region.split(' ').pop() ?? card.region, secondsLeft: total });
      p.timer = setInterval(() => this.tick(total), OFFER_TIMING.tickMs);
    },

    onUnload(): void {
      const p = this as unknown as PageState;
      if (p.timer) clearInterval(p.timer);
      if (p.closer) clearTimeout(p.closer);
    },

    tick(total: number): void {
      const p = this as unknown as PageState;
      const secondsLeft = secondsUntil(p.expiresAt);
      if (secondsLeft === 0 && !this.data.busy) {
        this.close('派单已超时，已转给其他师傅');
        return;
      }
      this.setData({ secondsLeft, percentLeft: Math.round((secondsLeft / total) * 100) });
    },

    /** Stops the countdown, shows why, and goes back to where the electrician was. */
    close(reason: string): void {
      const p = this as unknown as PageState;
      if (p.timer) clearInterval(p.timer);
      p.timer = undefined;
      this.setData({ closed: reason, secondsLeft: 0, percentLeft: 0, busy: false });
      p.closer = setTimeout(
        () => wx.navigateBack({ fail: () => wx.switchTab({ url: '/pages/hall/hall' }) }),
        OFFER_TIMING.closeAfterMs,
      );
    },

    async onAccept(): Promise<void> {
      const p = this as unknown as PageState;
      if (this.data.busy || this.data.closed) return;
      this.setData({ busy: true });
      try {
        await acceptDispatch(p.orderId, { silent: true });
        if (p.timer) clearInterval(p.timer);
        wx.showToast({ title: '已接单', icon: 'success' });
        wx.redirectTo({ url: `${DETAIL}?id=${p.orderId}` });
      } catch (err) {
        const e = err as ApiError;
        const gone = e.code === 'INVALID_TRANSITION' || e.code === 'ORDER_TAKEN' || e.code === 'NOT_FOUND' || e.status === 409;
        if (gone) this.close('派单已超时，已转给其他师傅');
        else {
          this.setData({ busy: false });
          wx.showToast({ title: e.message, icon: 'none' });
        }
      }
    },

    async onReject(): Promise<void> {
      const p = this as unknown as PageState;
      if (this.data.busy || this.data.closed) return;
      this.setData({ busy: true });
      try {
        await rejectDispatch(p.orderId, '暂时无法接单');
        this.close('已拒绝，派单将转给其他师傅');
      } catch {
        // request.ts showed the error; the offer still times out on the server.
        this.setData({ busy: false });
      }
    },
  },
});
