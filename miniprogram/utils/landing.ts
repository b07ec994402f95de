import { session, type UserType } from '../stores/session';

/** The tab pages (app.json tabBar.list): opened with wx.switchTab only. */
export const TAB_PAGES = {
  home: '/pages/index/index',
  hall: '/pages/hall/hall',
  orders: '/pages/orders/orders',
  messages: '/pages/common/messages/messages',
  me: '/pages/me/me',
} as const;

export type Role = 'customer' | 'electrician';

export function roleOf(userType: UserType | undefined | null): Role {
  return userType === 'electrician' ? 'electrician' : 'customer';
}

/** The signed-in user's role (customer when signed out). */
export function currentRole(): Role {
  return roleOf(session.getUser()?.userType);
}

/** Where a role starts: the customer home or the electrician hall. */
export function landingPage(role: Role = currentRole()): string {
  return role === 'electrician' ? TAB_PAGES.hall : TAB_PAGES.home;
}

/** Goes to the role's first tab (closing the non-tab pages above it). */
export function goLanding(role: Role = currentRole()): void {
  wx.switchTab({ url: landingPage(role) });
}
