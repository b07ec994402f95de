/** Time comes from here so that expiry, offers and settlement are testable without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-22T02:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** China Standard Time, the platform's calendar (UTC+8 all year: no daylight saving). */
const CST_OFFSET = 8 * HOUR;

/** The CST calendar day `now` falls on: its midnight as an instant, and its date (YYYY-MM-DD). */
export function chinaDay(now: Date): { start: Date; date: string } {
  const local = Math.floor((now.getTime() + CST_OFFSET) / DAY) * DAY;
  return { start: new Date(local - CST_OFFSET), date: new Date(local).toISOString().slice(0, 10) };
}
