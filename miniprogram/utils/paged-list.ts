/**
 * The paged list of a tabbed list page (orders, messages): first page, more on reaching the bottom,
 * pull-down refresh, and the loading / error state the WXML shows. A page spreads `PAGED_DATA` into
 * its data and `pagedList(...)` into its methods, and defines `fetch(page)`, which loads one page
 * of the current tab and sets the list, `page` and `more`.
 */

import { session } from '../stores/session';
import { formatTime } from './format';

export const PAGED_DATA = {
  /** Weak network: the last loaded first page is shown with this banner instead of an error. */
  stale: '',
  tab: 0,
  page: 0,
  more: false,
  loading: true,
  loadingMore: false,
  error: '',
};

/** What the shared methods need of the page they run on. */
interface PagedPage {
  data: typeof PAGED_DATA;
  setData(data: Record<string, unknown>): void;
  fetch(page: number): Promise<void>;
  reload(): Promise<void>;
}

/**
 * The shared methods, for a list in `data[list]`; `alsoOnReload` runs beside the first page on
 * each reload (e.g. the unread badges).
 */
export function pagedList<P = PagedPage>(list: string, alsoOnReload?: (page: P) => Promise<void>, cacheName?: string) {
  /** Per user and tab, so that another account on the phone never sees these rows. */
  const cacheKey = (tab: number) => `cache.${cacheName}.${session.getUser()?.id ?? 0}.${tab}`;
  return {
    /**
     * Loads the first page afresh (show, tab change, retry, pull-down). A failure shows as the page's
     * error, except on a weak network with `cacheName`: then the last loaded first page shows with a banner.
     */
    async reload(this: PagedPage): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        if (alsoOnReload) await Promise.all([this.fetch(1), alsoOnReload(this as unknown as P)]);
        else await this.fetch(1);
        this.setData({ stale: '' });
        if (cacheName)
          wx.setStorageSync(cacheKey(this.data.tab), {
            rows: (this.data as unknown as Record<string, unknown>)[list],
            at: new Date().toISOString(),
          });
      } catch (err) {
        const cached =
          cacheName && (err as { code?: string }).code === 'NETWORK' ? wx.getStorageSync(cacheKey(this.data.tab)) : '';
        if (cached && typeof cached === 'object') {
          const { rows, at } = cached as { rows: unknown[]; at: string };
          this.setData({ [list]: rows, more: false, stale: `网络不佳，显示的是 ${formatTime(at)} 的数据，下拉可重试` });
        } else this.setData({ error: (err as Error).message, [list]: [] });
      } finally {
        this.setData({ loading: false });
      }
    },
    onTab(this: PagedPage, e: WechatMiniprogram.BaseEvent): void {
      const tab = Number(e.currentTarget.dataset.index);
      if (tab === this.data.tab) return;
      this.setData({ tab, [list]: [], more: false });
      void this.reload();
    },
    async onPullDownRefresh(this: PagedPage): Promise<void> {
      await this.reload();
      wx.stopPullDownRefresh();
    },
    async onReachBottom(this: PagedPage): Promise<void> {
      if (!this.data.more || this.data.loadingMore || this.data.loading) return;
      this.setData({ loadingMore: true });
      try {
        await this.fetch(this.data.page + 1);
      } catch {
        // request.ts has shown the error; the next scroll to the bottom tries again.
      } finally {
        this.setData({ loadingMore: false });
      }
    },
  };
}
