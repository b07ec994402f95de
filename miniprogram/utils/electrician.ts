import { fileUrl } from '../services/files';
import { isDenied } from './permission';
import type { FaultType, OrderPublic, Priority } from '../services/orders';
import { formatTime } from './format';
import { formatMoney } from './money';

/** The API's fault-type names (orders.service FAULT_TEXT), for rows that carry only the code. */
export const FAULT_TYPE_TEXT: Record<FaultType, string> = {
  circuit: '电路故障',
  appliance: '电器维修',
  lighting: '灯具照明',
  installation: '安装布线',
  maintenance: '检修保养',
  emergency: '紧急抢修',
  other: '其他',
};

export const FAULT_TYPES = Object.keys(FAULT_TYPE_TEXT) as FaultType[];

export const PRIORITY_TEXT: Record<Priority, string> = { low: '不急', medium: '普通', high: '较急', urgent: '加急' };

/** The electrician pages' timers; tests shorten them. */
export const ELECTRICIAN_TIMING = {
  /** How often the open hall reports an available electrician's location (update_location). */
  locationIntervalMs: 30_000,
};

/** The message when a grab lost the race (409 ORDER_TAKEN). */
export const GRAB_LOST = '手慢了，订单已被其他师傅抢走';

export interface HallCard {
  id: number;
  approxLocation: { latitude: number; longitude: number };
  orderNo: string;
  title: string;
  /** What the card leads with: the customer's own title, else the start of the description (never the fault type twice). */
  headline: string;
  description: string;
  faultText: string;
  urgent: boolean;
  priorityText: string;
  region: string;
  distanceKm: number | null;
  distanceText: string;
  visitFeeText: string;
  estimateText: string;
  contactText: string;
  timeText: string;
  images: string[];
}

export function distanceText(km: number | null | undefined): string {
  if (km === null || km === undefined) return '';
  return km < 1 ? `${Math.round(km * 1000)} 米` : `${km.toFixed(1)} 公里`;
}

const HEADLINE_CHARS = 20;

/** The customer's title unless it only names the fault type (the default 电路故障维修); else the description's start. */
export function headline(o: Pick<OrderPublic, 'title' | 'faultType' | 'description'>): string {
  const fault = FAULT_TYPE_TEXT[o.faultType] ?? o.faultType;
  const title = (o.title ?? '').trim();
  if (title && !title.startsWith(fault)) return title;
  const first = o.description.split(/[\n。！!？?]/)[0].trim() || o.description.trim();
  return first.length > HEADLINE_CHARS ? `${first.slice(0, HEADLINE_CHARS)}…` : first;
}

/** A hall row from the masked projection (REST or a new-order / dispatch-offer push). */
export function hallCard(o: OrderPublic): HallCard {
  return {
    id: o.id,
    approxLocation: o.approxLocation,
    orderNo: o.orderNo,
    title: o.title,
    headline: headline(o),
    description: o.description,
    faultText: FAULT_TYPE_TEXT[o.faultType] ?? o.faultType,
    urgent: o.priority === 'urgent',
    priorityText: PRIORITY_TEXT[o.priority] ?? o.priority,
    region: o.region,
    distanceKm: o.distanceKm,
    distanceText: distanceText(o.distanceKm),
    visitFeeText: formatMoney(o.visitFee),
    estimateText: formatMoney(o.estimatedAmount),
    contactText: `${o.contactName} ${o.contactPhone}`,
    timeText: formatTime(o.createdAt),
    images: (o.images ?? []).map((i) => fileUrl(i.url)),
  };
}

/** The device location (GCJ-02, what <map> and wx.openLocation use). */
export function currentLocation(): Promise<{ latitude: number; longitude: number }> {
  return new Promise((resolve, reject) => {
    wx.getLocation({
      type: 'gcj02',
      success: (res) => resolve({ latitude: res.latitude, longitude: res.longitude }),
      fail: (err) =>
        reject(Object.assign(new Error('无法获取当前位置，请在设置中允许使用位置信息'), { denied: isDenied(err.errMsg) })),
    });
  });
}
