/**
 * The paged list of a tabbed list page (orders, messages): first page, more on reaching the bottom,
 * pull-down refresh, and the loading / error state the WXML shows. A page spreads `PAGED_DATA` into
 * its data and `pagedList(...)` into its methods, and defines `fetch(page)`, which loads one page
 * of the current tab and sets the list, `page` and `more`.
 */

export const PAGED_DATA = {
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
export function pagedList<P = PagedPage>(list: string, alsoOnReload?: (page: P) => Promise<void>) {
  return {
    /** Loads the first page afresh (show, tab change, retry, pull-down); a failure shows as the page's error. */
    async reload(this: PagedPage): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        if (alsoOnReload) await Promise.all([this.fetch(1), alsoOnReload(this as unknown as P)]);
        else await this.fetch(1);
      } catch (err) {
        this.setData({ error: (err as Error).message, [list]: [] });
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
