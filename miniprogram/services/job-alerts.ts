/**
 * Never miss a job: while an electrician is signed in, dispatch offers and new nearby orders reach
 * them on any page — a sound from the package, a vibration, and for a new order a modal, for an
 * offer the full-screen offer page with its live countdown (except in the hall, which shows both
 * itself). Started once by app.ts; the socket is connected on each
 * App.onShow (it drops in the background).
 */
import { hallCard } from '../utils/electrician';
import { currentRole, TAB_PAGES } from '../utils/landing';
import type { OrderPublic } from './orders';
import { realtime } from './realtime';
import type { DispatchOfferPush, NewOrderPush } from './realtime-events';

/** Shipped in the main package (assets/sounds). */
export const ALERT_SOUND = '/assets/sounds/new-job.wav';
const HALL_ROUTE = 'pages/hall/hall';
const OFFER_ROUTE = 'pages/dispatch-offer/dispatch-offer';

let audio: WechatMiniprogram.InnerAudioContext | null = null;
/** A new-order modal is up: further new-order pushes only ring. */
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

/** The offers pushed to this electrician, by order: what the offer page shows. */
const offers = new Map<number, DispatchOfferPush>();

/** The offer the dispatch-offer page opened for (undefined once unknown: the app restarted). */
export function offerFor(orderId: number): (DispatchOfferPush & { orderInfo: OrderPublic }) | undefined {
  return offers.get(orderId) as (DispatchOfferPush & { orderInfo: OrderPublic }) | undefined;
}

/** An offer cannot wait: the full-screen offer page, with its live countdown, over whatever page is up. */
function onOffer(push: DispatchOfferPush): void {
  if (currentRole() !== 'electrician') return;
  ring(true);
  if (topRoute() === HALL_ROUTE) return;
  for (const [id, o] of offers) if (Date.parse(o.expiresAt) < Date.now()) offers.delete(id);
  offers.set(push.orderId, push);
  const url = `/${OFFER_ROUTE}?orderId=${push.orderId}`;
  // A second offer while one is on screen replaces it (the first one's deadline is its own).
  if (topRoute() === OFFER_ROUTE) wx.redirectTo({ url });
  else wx.navigateTo({ url });
}

function onNewOrder(push: NewOrderPush): void {
  if (currentRole() !== 'electrician') return;
  ring(false);
  // The hall adds the order to its list; a modal already up is not stacked on, nor is an order
  // already offered to this electrician (an urgent order is dispatched and listed at once).
  if (topRoute() === HALL_ROUTE || topRoute() === OFFER_ROUTE || modalOpen || offers.has(push.orderId)) return;
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
    offers.clear();
    modalOpen = false;
  };
}

/** App.onShow: an electrician's socket is (re)connected whatever page the app opens on. */
export function resumeJobAlerts(): void {
  if (currentRole() === 'electrician') realtime.connect();
}
