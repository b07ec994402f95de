/**
 * The address book: the default first, tap to edit, or in select mode (`?select=1`, from the order
 * form) tap to use it. New entries are typed or imported from WeChat (wx.chooseAddress).
 */
import {
  addressRow,
  deleteAddress,
  fullAddress,
  listAddresses,
  updateAddress,
  type Address,
  type AddressRow,
} from '../../../services/addresses';
import { LOGIN_PAGE } from '../../../services/request';
import { addressPick } from '../../../stores/address-pick';
import { session } from '../../../stores/session';
import { importWechatAddress } from '../../../utils/place';

const EDIT = '/pages/user/address-edit/address-edit';

Component({
  data: {
    loading: true,
    error: '',
    select: false,
    rows: [] as AddressRow[],
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ select: query.select === '1' });
      if (query.select === '1') wx.setNavigationBarTitle({ title: '选择上门地址' });
    },
    /** Every show reloads: an entry may have been added or edited on the edit page. */
    onShow(): void {
      if (!session.isLoggedIn()) {
        wx.navigateTo({ url: LOGIN_PAGE });
        return;
      }
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load(): Promise<void> {
      const self = this as unknown as { book: Address[] };
      this.setData({ error: '' });
      try {
        self.book = await listAddresses();
        this.setData({ loading: false, rows: self.book.map(addressRow) });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    entry(e: WechatMiniprogram.BaseEvent): Address | undefined {
      const id = Number(e.currentTarget.dataset.id);
      return (this as unknown as { book: Address[] }).book.find((a) => a.id === id);
    },
    onTap(e: WechatMiniprogram.BaseEvent): void {
      const a = this.entry(e);
      if (!a) return;
      if (this.data.select) {
        addressPick.pick(a);
        wx.navigateBack();
      } else wx.navigateTo({ url: `${EDIT}?id=${a.id}` });
    },
    onEdit(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `${EDIT}?id=${String(e.currentTarget.dataset.id)}` });
    },
    async onMakeDefault(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const a = this.entry(e);
      if (!a || a.isDefault) return;
      await updateAddress(a.id, { isDefault: true });
      wx.showToast({ title: '已设为默认', icon: 'success' });
      await this.load();
    },
    onDelete(e: WechatMiniprogram.BaseEvent): void {
      const a = this.entry(e);
      if (!a) return;
      wx.showModal({
        title: '删除地址',
        content: `删除“${fullAddress(a)}”？已下的订单不受影响。`,
        confirmText: '删除',
        confirmColor: '#fa5151',
        success: (res) => {
          if (!res.confirm) return;
          void deleteAddress(a.id).then(() => this.load());
        },
      });
    },
    onAdd(): void {
      wx.navigateTo({ url: EDIT });
    },
    async onImport(): Promise<void> {
      const fields = await importWechatAddress();
      if (!fields) return;
      addressPick.setImported(fields);
      wx.navigateTo({ url: `${EDIT}?imported=1` });
    },
  },
});
