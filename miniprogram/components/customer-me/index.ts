import { addressRow, listAddresses, type AddressRow } from '../../services/addresses';
import { logout } from '../../services/auth';
import { fileUrl } from '../../services/files';
import { listOrders } from '../../services/orders';
import { LOGIN_PAGE } from '../../services/request';
import { me } from '../../services/users';
import { session, type SessionUser } from '../../stores/session';
import { goLanding, roleOf, TAB_PAGES } from '../../utils/landing';

const ROLE_TEXT: Record<SessionUser['userType'], string> = { user: '用户', electrician: '认证电工', admin: '平台员工' };
/** The address book entries shown here (the default first); the rest are on the address book page. */
const SHOWN_ADDRESSES = 2;
export const ADDRESS_BOOK_PAGE = '/pages/user/addresses/addresses';
export const DELETE_ACCOUNT_PAGE = '/pages/user/delete-account/delete-account';

Component({
  // Hosted by a tab page: the app's shared classes (app.wxss) apply inside.
  options: { styleIsolation: 'apply-shared' },
  data: {
    loggedIn: false,
    loading: true,
    error: '',
    user: null as { nickname: string; avatarUrl: string; phone: string; roleText: string; electrician: boolean } | null,
    addresses: [] as AddressRow[],
    addressCount: 0,
    orderCount: 0,
  },
  methods: {
    onShow(): void {
      void this.load();
    },
    async load(): Promise<void> {
      if (!session.isLoggedIn()) {
        this.setData({ loggedIn: false, loading: false, user: null, addresses: [] });
        return;
      }
      this.setData({ loggedIn: true, loading: !this.data.user, error: '' });
      try {
        const before = roleOf(session.getUser()?.userType);
        // me() stores the fresh user in the session.
        const [user, orders, book] = await Promise.all([
          me(),
          listOrders({ as: 'customer', page: 1, limit: 1 }),
          listAddresses(),
        ]);
        if (roleOf(user.userType) !== before) {
          // The application was approved (or the role changed): the app becomes the electrician workspace.
          wx.showToast({ title: '认证已通过，进入接单大厅', icon: 'none' });
          goLanding(roleOf(user.userType));
        }
        const addresses = book.slice(0, SHOWN_ADDRESSES).map(addressRow);
        this.setData({
          loading: false,
          user: {
            nickname: user.nickname || user.name || '微信用户',
            // An uploaded avatar is a signed URL under the API base.
            avatarUrl: user.avatarUrl ? fileUrl(user.avatarUrl) : '',
            phone: user.hasPhone ? (user.phone ?? '') : '',
            roleText: ROLE_TEXT[user.userType],
            electrician: user.userType === 'electrician',
          },
          addresses,
          addressCount: book.length,
          orderCount: orders.pagination.total,
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    onAddresses(): void {
      wx.navigateTo({ url: ADDRESS_BOOK_PAGE });
    },
    onEditProfile(): void {
      wx.navigateTo({ url: '/pages/user/profile-edit/profile-edit' });
    },
    onLogin(): void {
      wx.navigateTo({ url: LOGIN_PAGE });
    },
    onOrders(): void {
      wx.switchTab({ url: TAB_PAGES.orders });
    },
    onMessages(): void {
      wx.switchTab({ url: TAB_PAGES.messages });
    },
    onCustomerService(): void {
      wx.navigateTo({ url: '/pages/common/customer-service/customer-service' });
    },
    onInvoices(): void {
      wx.navigateTo({ url: '/pages/user/invoices/invoices' });
    },
    onComplaints(): void {
      wx.navigateTo({ url: '/pages/user/complaint/complaint' });
    },
    onDeleteAccount(): void {
      wx.navigateTo({ url: DELETE_ACCOUNT_PAGE });
    },
    onApply(): void {
      wx.navigateTo({ url: '/pages/electrician/apply/apply' });
    },
    onElectrician(): void {
      goLanding('electrician');
    },
    async onLogout(): Promise<void> {
      await logout();
      wx.reLaunch({ url: '/pages/index/index' });
    },
  },
});
