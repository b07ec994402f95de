/**
 * A new or changed address book entry (`?id=` edits, `?imported=1` starts from the WeChat address the
 * address book imported). A new one starts with the contact of the default entry; the point on the map
 * is always picked, as orders need it to find electricians nearby.
 */
import {
  ADDRESS_TAGS,
  createAddress,
  deleteAddress,
  listAddresses,
  updateAddress,
  type AddressFields,
} from '../../../services/addresses';
import { addressPick } from '../../../stores/address-pick';
import { session } from '../../../stores/session';
import { isMobilePhone } from '../../../utils/format';
import { chooseOnMap, PLACE_DATA, placeError, placeOf } from '../../../utils/place';

Component({
  data: {
    id: 0,
    loading: false,
    loadError: '',
    ...PLACE_DATA,
    tags: ADDRESS_TAGS,
    tag: '',
    isDefault: false,
    /** An imported WeChat address has no point on the map yet: the form says so. */
    needsLocation: false,
    formError: '',
    saving: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const id = Number(query.id ?? 0);
      if (id) {
        wx.setNavigationBarTitle({ title: '编辑地址' });
        this.setData({ id });
        void this.load(id);
        return;
      }
      wx.setNavigationBarTitle({ title: '新增地址' });
      const imported = query.imported === '1' ? addressPick.takeImported() : null;
      if (imported) {
        this.setData({ ...imported, regionParts: imported.region.split(' '), needsLocation: true });
        return;
      }
      void this.prefillContact();
    },
    /**
     * A new entry starts with the contact of the default one, else the profile's name (the profile's
     * phone comes back masked, so it is no use here).
     */
    async prefillContact(): Promise<void> {
      const user = session.getUser();
      const usable = (phone: string | null | undefined) => (phone && isMobilePhone(phone) ? phone : '');
      this.setData({ contactName: user?.name ?? '', contactPhone: usable(user?.phone) });
      const book = await listAddresses({ silent: true }).catch(() => []);
      const entry = book.find((a) => a.isDefault) ?? book[0];
      // Only into a form still untouched.
      if (entry && !this.data.contactPhone && this.data.contactName === (user?.name ?? ''))
        this.setData({ contactName: entry.contactName, contactPhone: entry.contactPhone });
    },
    async load(id: number): Promise<void> {
      this.setData({ loading: true, loadError: '' });
      try {
        const a = (await listAddresses()).find((x) => x.id === id);
        if (!a) throw new Error('地址不存在或已删除');
        this.setData({
          loading: false,
          contactName: a.contactName,
          contactPhone: a.contactPhone,
          region: a.region,
          regionParts: a.region.split(' '),
          address: a.address,
          latitude: a.latitude,
          longitude: a.longitude,
          tag: a.tag ?? '',
          isDefault: a.isDefault,
        });
      } catch (err) {
        this.setData({ loading: false, loadError: (err as Error).message });
      }
    },
    onRetry(): void {
      void this.load(this.data.id);
    },
    onNameInput(e: WechatMiniprogram.Input): void {
      this.setData({ contactName: e.detail.value.trim(), formError: '' });
    },
    onPhoneInput(e: WechatMiniprogram.Input): void {
      this.setData({ contactPhone: e.detail.value.trim(), formError: '' });
    },
    onRegionChange(e: WechatMiniprogram.PickerChange): void {
      const parts = e.detail.value as string[];
      this.setData({ regionParts: parts, region: parts.join(' '), formError: '' });
    },
    onAddressInput(e: WechatMiniprogram.Input): void {
      this.setData({ address: e.detail.value.trim(), formError: '' });
    },
    onChooseLocation(): void {
      chooseOnMap(
        (p) =>
          // An imported street address is kept: the map only adds the point (its name is often vaguer).
          this.setData({
            latitude: p.latitude,
            longitude: p.longitude,
            address: this.data.needsLocation && this.data.address ? this.data.address : p.address,
            needsLocation: false,
            formError: '',
          }),
        this.data,
      );
    },
    onTag(e: WechatMiniprogram.BaseEvent): void {
      const tag = String(e.currentTarget.dataset.tag);
      this.setData({ tag: this.data.tag === tag ? '' : tag });
    },
    onDefaultChange(e: WechatMiniprogram.SwitchChange): void {
      this.setData({ isDefault: e.detail.value });
    },
    async onSave(): Promise<void> {
      if (this.data.saving) return;
      const d = this.data;
      const formError = placeError(d);
      if (formError) {
        this.setData({ formError });
        return;
      }
      const fields: AddressFields = { ...placeOf(d), isDefault: d.isDefault };
      this.setData({ saving: true, formError: '' });
      try {
        if (d.id) await updateAddress(d.id, { ...fields, tag: d.tag || null });
        else await createAddress({ ...fields, tag: d.tag || undefined });
        wx.showToast({ title: '已保存', icon: 'success' });
        wx.navigateBack();
      } catch (err) {
        this.setData({ saving: false, formError: (err as Error).message });
      }
    },
    onDelete(): void {
      wx.showModal({
        title: '删除地址',
        content: '删除后不可恢复，已下的订单不受影响。',
        confirmText: '删除',
        confirmColor: '#fa5151',
        success: (res) => {
          if (!res.confirm) return;
          void deleteAddress(this.data.id).then(() => wx.navigateBack());
        },
      });
    },
  },
});
