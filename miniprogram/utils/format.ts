export type OrderStatus = 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending: '待接单',
  accepted: '已接单',
  arrived: '已上门',
  quoted: '待确认报价',
  in_progress: '维修中',
  completed: '已完成',
  cancelled: '已取消',
  expired: '已过期',
};

export function orderStatusText(status: string): string {
  return (ORDER_STATUS_TEXT as Record<string, string>)[status] ?? status;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ISO-8601 (UTC) → 'MM-DD HH:mm' in China time (UTC+8, no daylight saving). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + CHINA_OFFSET_MS);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export const MOBILE_PHONE = /^1[3-9]\d{9}$/;

export function isMobilePhone(value: string): boolean {
  return MOBILE_PHONE.test(value);
}

/** Today in China time as 'YYYY-MM-DD' (for date pickers). */
export function chinaToday(now = Date.now()): string {
  const d = new Date(now + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A China-time date ('YYYY-MM-DD') and time ('HH:mm') from pickers → ISO-8601 with the +08:00 offset. */
export function chinaDateTime(date: string, time: string): string {
  return `${date}T${time}:00+08:00`;
}
