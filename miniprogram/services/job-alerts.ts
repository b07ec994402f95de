/**
 * Never miss a job: while an electrician is signed in, dispatch offers and new nearby orders reach
 * them on any page — a sound from the package, a vibration, and a modal (except in the hall, which
 * shows them itself with a live countdown). Started once by app.ts; the socket is connected on each
 * App.onShow (it drops in the background).
 */
import { hallCard } from '../utils/electrician';
import { currentRole, TAB_PAGES } from '../utils/landing';
import { acceptDispatch, rejectDispatch, type OrderPublic } from './orders';
import { realtime } from './realtime';
import type { DispatchOfferPush, NewOrderPush } from './realtime-events';
import type { ApiError } from './request';

/** Shipped in the main package (assets/sounds). */
export const ALERT_SOUND = '/assets/sounds/new-job.wav';
const HALL_ROUTE = 'pages/hall/hall';
const DETAIL = '/pages/electrician/order-detail/order-detail';

let audio: WechatMiniprogram.InnerAudioContext | null = null;
/** A modal is up: further new-order pushes only ring (an offer still asks: it cannot wait). */
let modalOpen = false;
let offs: (() => void)[] = [];

function topRoute(): string {
  if (typeof getCurrentPages !== 'function') return '';
  const pages = getCurrentPages();
  return pages[pages.length - 1]?.route ?? '';
}

/** The sound and vibration of an alert; an offer vibrates long. */
export function ring(long = false): void {
  try {
    if (!audio) {
      audio = wx.createInnerAudioContext();
      audio.src = ALERT_SOUND;
      // Plays even when the phone is on silent (an electrician on the road must hear a job).
      audio.obeyMuteSwitch = false;
    }
    audio.stop();
    audio.play();
  } catch {
    // No audio on this device: the vibration and the modal remain.
  }
  if (long) wx.vibrateLong({});
  else wx.vibrateShort({ type: 'heavy' });
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function onOffer(push: DispatchOfferPush): void {
  if (currentRole() !== 'electrician') return;
  ring(true);
  if (topRoute() === HALL_ROUTE) return;
  const card = hallCard(push.orderInfo as unknown as OrderPublic);
  const expiresAt = new Date(Date.parse(push.expiresAt));
  const seconds = Math.max(0, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
  const deadline = `${pad(expiresAt.getHours())}:${pad(expiresAt.getMinutes())}:${pad(expiresAt.getSeconds())}`;
  modalOpen = true;
  wx.showModal({
    title: `平台派单 · ${seconds} 秒内响应`,
    content: `${card.faultText}｜${card.headline}\n距你 ${card.distanceText || '未知'} · 上门费 ${card.visitFeeText}\n请在 ${deadline} 前接单，超时将转给其他师傅`,
    confirmText: '接单',
    cancelText: '拒绝',
    success: (res) => {
      modalOpen = false;
      if (res.confirm) void accept(push.orderId);
      else if (res.cancel) void rejectDispatch(push.orderId, '暂时无法接单').catch(() => undefined);
    },
    fail: () => {
      modalOpen = false;
    },
  });
}

async function accept(orderId: number): Promise<void> {
  try {
    await acceptDispatch(orderId, { silent: true });
    wx.showToast({ title: '已接单', icon: 'success' });
    wx.navigateTo({ url: `${DETAIL}?id=${orderId}` });
  } catch (err) {
    const e = err as ApiError;
    const expired = e.code === 'INVALID_TRANSITION' || e.code === 'ORDER_TAKEN' || e.code === 'NOT_FOUND' || e.status === 409;
    wx.showToast({ title: expired ? '派单已超时，已转给其他师傅' : e.message, icon: 'none' });
  }
}

function onNewOrder(push: NewOrderPush): void {
  if (currentRole() !== 'electrician') return;
  ring(false);
  // The hall adds the order to its list; a modal already up is not stacked on.
  if (topRoute() === HALL_ROUTE || modalOpen) return;
  const card = hallCard(push.orderInfo as unknown as OrderPublic);
  modalOpen = true;
  wx.showModal({
    title: card.urgent ? '附近有加急新订单' : '附近有新订单',
    content: `${card.faultText}｜${card.headline}\n距你 ${card.distanceText || '未知'} · 上门费 ${card.visitFeeText}`,
    confirmText: '去抢单',
    cancelText: '稍后',
    success: (res) => {
      modalOpen = false;
      if (res.confirm) wx.switchTab({ url: TAB_PAGES.hall });
    },
    fail: () => {
      modalOpen = false;
    },
  });
}

/** Subscribes once for the app's lifetime; returns the unsubscribe (tests). */
export function startJobAlerts(): () => void {
  if (!offs.length) offs = [realtime.on('dispatch-offer', onOffer), realtime.on('new-order', onNewOrder)];
  return () => {
    offs.splice(0).forEach((off) => off());
    modalOpen = false;
  };
}

/** App.onShow: an electrician's socket is (re)connected whatever page the app opens on. */
export function resumeJobAlerts(): void {
  if (currentRole() === 'electrician') realtime.connect();
}
