import { currentRole, type Role } from './landing';

/** What a role component (components/customer-*, components/electrician-*) offers its host tab page. */
interface RolePage {
  onLoad?(query: Record<string, string | undefined>): void;
  onShow?(): void;
  onPullDownRefresh?(): unknown;
  onReachBottom?(): unknown;
}

interface HostPage {
  data: { role: Role | '' };
  setData(data: Record<string, unknown>, callback?: () => void): void;
  selectComponent(selector: string): unknown;
}

/**
 * The methods of a tab page shared by both roles (订单, 我的): WeChat allows five tab pages, so these
 * two show the customer's or the electrician's component (`#role-page`) by the signed-in role, and
 * pass the page events on to it. A role change (an approved application, another account) swaps it.
 */
export function roleHost() {
  return {
    rolePage(this: HostPage): RolePage | null {
      return (this.selectComponent('#role-page') as RolePage | null) ?? null;
    },
    onShow(this: HostPage & { rolePage(): RolePage | null }): void {
      const role = currentRole();
      if (role === this.data.role) {
        this.rolePage()?.onShow?.();
        return;
      }
      this.setData({ role }, () => {
        const page = this.rolePage();
        page?.onLoad?.({});
        page?.onShow?.();
      });
    },
    onPullDownRefresh(this: { rolePage(): RolePage | null }): void {
      const page = this.rolePage();
      if (page?.onPullDownRefresh) void page.onPullDownRefresh();
      else wx.stopPullDownRefresh();
    },
    onReachBottom(this: { rolePage(): RolePage | null }): void {
      void this.rolePage()?.onReachBottom?.();
    },
  };
}
