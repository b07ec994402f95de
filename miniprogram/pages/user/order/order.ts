import { addressRow, createAddress, listAddresses, type Address, type AddressRow } from '../../../services/addresses';
import { LOGIN_PAGE } from '../../../services/request';
import { SUBSCRIBE_MOMENTS, subscribeTemplateIds } from '../../../config/index';
import { requestSubscriptions } from '../../../services/messages';
import { createOrder, feesFor, newIdempotencyKey, pricing, type OrderPlace, type PriceItem } from '../../../services/orders';
import { catalogItems, type CatalogItem } from '../../../services/catalog';
import { addressPick } from '../../../stores/address-pick';
import { session } from '../../../stores/session';
import { chinaDateTime, chinaToday, isMobilePhone, orderStatusText } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { photoHandlers, type Photo, type PhotoPage } from '../../../utils/photo-picker';
import { chooseOnMap, importWechatAddress, PLACE_DATA, placeError, placeOf } from '../../../utils/place';

const MAX_PHOTOS = 9;
const ADDRESS_BOOK = '/pages/user/addresses/addresses';
const PRICE_LIST = '/pages/user/price-list/price-list';
/** How many of a fault type's labour items the form quotes as a reference. */
const REFERENCES = 3;

interface CreatedOrder {
  id: number;
  orderNo: string;
  statusText: string;
  visitFeeText: string;
  estimateText: string;
}

/** What a draft keeps: everything typed or picked, so that leaving the page loses nothing. */
const DRAFT_FIELDS = [
  'faultIndex',
  'urgent',
  'contactName',
  'contactPhone',
  'regionParts',
  'region',
  'address',
  'latitude',
  'longitude',
  'description',
  'photos',
  'scheduledDate',
  'scheduledTime',
  'saveToBook',
] as const;
type Draft = Partial<Record<(typeof DRAFT_FIELDS)[number], unknown>> & { addressId?: number };

/** Per user, so that another account on the phone never sees it. */
const draftKey = () => `draft.order.${session.getUser()?.id ?? 0}`;

function readDraft(): Draft | null {
  const draft: unknown = wx.getStorageSync(draftKey());
  return draft && typeof draft === 'object' ? (draft as Draft) : null;
}

Component({
  data: {
    loading: true,
    loadError: '',
    prices: [] as PriceItem[],
    /** '更换插座 ¥30.00/个、更换开关 ¥30.00/个': the price list's labour for the chosen fault type. */
    referenceText: '',
    faultNames: [] as string[],
    faultIndex: 0,
    urgent: false,
    visitFeeText: '',
    estimateText: '',
    surchargeText: '',
    /** The address book has entries: the form offers 从地址簿选择. */
    hasBook: false,
    /** The address book entry ordered to; null while the place is typed in. */
    chosen: null as AddressRow | null,
    /** A typed place is saved to the address book after the order is placed. */
    saveToBook: true,
    ...PLACE_DATA,
    description: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    today: '',
    scheduledDate: '',
    scheduledTime: '',
    /** A draft from an earlier visit was put back (the page says so, with 清空). */
    draftRestored: false,
    formError: '',
    submitting: false,
    /** One key per submit attempt: kept when the attempt fails so a retry cannot create a second order. */
    idempotencyKey: '',
    created: null as CreatedOrder | null,
  },
  methods: {
    /** `?faultType=` (a service tapped on the home page) preselects that fault type. */
    onLoad(query: Record<string, string | undefined> = {}): void {
      (this as unknown as { wantedFault?: string }).wantedFault = query.faultType;
      const user = session.getUser();
      // The profile's phone comes back masked: only a full number is of use to the form.
      const phone = user?.phone && isMobilePhone(user.phone) ? user.phone : '';
      this.setData({ contactName: user?.name ?? '', contactPhone: phone, today: chinaToday() });
      void this.loadPrices();
    },
    /** Back from the address book in select mode: its pick is the place. */
    onShow(): void {
      const picked = addressPick.take();
      if (picked) this.edit({ chosen: addressRow(picked), hasBook: true });
    },
    /** The price list and the address book; then the draft, if any, is put back over the defaults. */
    async loadPrices(): Promise<void> {
      this.setData({ loading: true, loadError: '' });
      try {
        const [prices, book, catalog] = await Promise.all([
          pricing(),
          // The book is a convenience: without it (signed out, or it failed) the place is typed in.
          session.isLoggedIn() ? listAddresses({ silent: true }).catch(() => [] as Address[]) : Promise.resolve([] as Address[]),
          // The price list's references are a help too: the form works without them.
          catalogItems({ category: 'labour' }).catch(() => [] as CatalogItem[]),
        ]);
        (this as unknown as { labour: CatalogItem[] }).labour = catalog;
        const byDefault = book.find((a) => a.isDefault) ?? book[0];
        this.setData({
          loading: false,
          prices,
          faultNames: prices.map((p) => p.name),
          hasBook: book.length > 0,
          chosen: byDefault ? addressRow(byDefault) : null,
        });
        this.restoreDraft(book);
        const wanted = prices.findIndex((p) => p.faultType === (this as unknown as { wantedFault?: string }).wantedFault);
        if (wanted >= 0) this.setData({ faultIndex: wanted });
        this.updateFees();
      } catch (err) {
        this.setData({ loading: false, loadError: (err as Error).message });
      }
    },
    restoreDraft(book: Address[]): void {
      const draft = readDraft();
      if (!draft) return;
      const patch: Record<string, unknown> = {};
      for (const field of DRAFT_FIELDS) if (draft[field] !== undefined) patch[field] = draft[field];
      if (typeof patch.faultIndex !== 'number' || patch.faultIndex >= this.data.prices.length) delete patch.faultIndex;
      const entry = draft.addressId ? book.find((a) => a.id === draft.addressId) : undefined;
      patch.chosen = entry ? addressRow(entry) : draft.addressId ? this.data.chosen : null;
      this.setData({ ...patch, draftRestored: Boolean(draft.description || (draft.photos as Photo[] | undefined)?.length) });
    },
    saveDraft(): void {
      const draft: Draft = {};
      for (const field of DRAFT_FIELDS) draft[field] = this.data[field];
      if (this.data.chosen) draft.addressId = this.data.chosen.id;
      wx.setStorageSync(draftKey(), draft);
    },
    onClearDraft(): void {
      wx.removeStorageSync(draftKey());
      this.setData({
        description: '',
        photos: [],
        scheduledDate: '',
        scheduledTime: '',
        urgent: false,
        faultIndex: 0,
        draftRestored: false,
      });
      this.updateFees();
    },
    updateFees(): void {
      const item = this.data.prices[this.data.faultIndex];
      if (!item) return;
      const fees = feesFor(item, this.data.urgent);
      const labour = (this as unknown as { labour?: CatalogItem[] }).labour ?? [];
      this.setData({
        visitFeeText: formatMoney(fees.visitFee),
        estimateText: formatMoney(fees.estimatedAmount),
        surchargeText: formatMoney(item.urgentSurcharge),
        referenceText: labour
          .filter((i) => i.faultTypes.includes(item.faultType))
          .slice(0, REFERENCES)
          .map((i) => `${i.name} ${formatMoney(i.standardPrice)}/${i.unit}`)
          .join('、'),
      });
    },
    /** Any change to the form makes the next submit a new attempt, and is kept in the draft. */
    edit(patch: Record<string, unknown>): void {
      this.setData({ ...patch, idempotencyKey: '', formError: '' });
      this.saveDraft();
    },
    onPriceList(): void {
      const item = this.data.prices[this.data.faultIndex];
      wx.navigateTo({ url: `${PRICE_LIST}${item ? `?faultType=${item.faultType}` : ''}` });
    },
    onFaultChange(e: WechatMiniprogram.PickerChange): void {
      this.edit({ faultIndex: Number(e.detail.value) });
      this.updateFees();
    },
    onUrgentChange(e: WechatMiniprogram.SwitchChange): void {
      this.edit({ urgent: e.detail.value });
      this.updateFees();
    },
    onNameInput(e: WechatMiniprogram.Input): void {
      this.edit({ contactName: e.detail.value.trim() });
    },
    onPhoneInput(e: WechatMiniprogram.Input): void {
      this.edit({ contactPhone: e.detail.value.trim() });
    },
    onRegionChange(e: WechatMiniprogram.PickerChange): void {
      const parts = e.detail.value as string[];
      this.edit({ regionParts: parts, region: parts.join(' ') });
    },
    onAddressInput(e: WechatMiniprogram.Input): void {
      this.edit({ address: e.detail.value.trim() });
    },
    onDescriptionInput(e: WechatMiniprogram.Input): void {
      this.edit({ description: e.detail.value.trim() });
    },
    onDateChange(e: WechatMiniprogram.PickerChange): void {
      this.edit({ scheduledDate: String(e.detail.value), scheduledTime: this.data.scheduledTime || '09:00' });
    },
    onTimeChange(e: WechatMiniprogram.PickerChange): void {
      this.edit({ scheduledTime: String(e.detail.value), scheduledDate: this.data.scheduledDate || this.data.today });
    },
    onClearSchedule(): void {
      this.edit({ scheduledDate: '', scheduledTime: '' });
    },
    onSaveToBookChange(e: WechatMiniprogram.SwitchChange): void {
      this.edit({ saveToBook: e.detail.value });
    },
    // A changed photo list is part of the saved draft.
    ...photoHandlers<PhotoPage & { edit(patch: { photos: Photo[] }): void }>('order', (page, photos) => page.edit({ photos })),
    onChooseLocation(): void {
      chooseOnMap((p) => this.edit(p));
    },
    /** The address book in select mode; onShow takes its pick. */
    onPickAddress(): void {
      wx.navigateTo({ url: `${ADDRESS_BOOK}?select=1` });
    },
    /** Types a new place instead of the chosen entry. */
    onTypeAddress(): void {
      this.edit({ chosen: null });
    },
    /** The WeChat address fills contact, region and street; the point is then picked on the map. */
    async onImportWechat(): Promise<void> {
      const fields = await importWechatAddress();
      if (!fields) return;
      this.edit({ ...fields, regionParts: fields.region.split(' '), latitude: null, longitude: null });
      wx.showToast({ title: '已导入，请在地图上确认位置', icon: 'none' });
    },
    async onSubmit(): Promise<void> {
      if (this.data.submitting) return;
      const d = this.data;
      const item = d.prices[d.faultIndex];
      if (!item) return;
      const formError =
        (d.chosen ? '' : placeError(d)) ||
        (d.description.length < 5 || d.description.length > 1000 ? '故障描述需 5–1000 字' : '');
      if (formError) {
        this.setData({ formError });
        return;
      }
      if (!session.isLoggedIn()) {
        wx.navigateTo({ url: LOGIN_PAGE });
        return;
      }
      if (d.uploading) {
        this.setData({ formError: '照片上传中，请稍候' });
        return;
      }
      const idempotencyKey = d.idempotencyKey || newIdempotencyKey();
      this.setData({ submitting: true, formError: '', idempotencyKey });
      // Asked inside the tap (WeChat refuses it later); recorded while the order is created.
      const subscribed = requestSubscriptions(subscribeTemplateIds(SUBSCRIBE_MOMENTS.orderSubmitted));
      const typed = placeOf(d);
      const place: OrderPlace = d.chosen ? { addressId: d.chosen.id } : typed;
      try {
        const order = await createOrder(
          {
            ...place,
            faultType: item.faultType,
            urgentType: d.urgent ? 'urgent' : 'normal',
            description: d.description,
            ...(d.photos.length ? { images: d.photos.map((p) => p.id) } : {}),
            ...(d.scheduledDate ? { scheduledAt: chinaDateTime(d.scheduledDate, d.scheduledTime || '09:00') } : {}),
          },
          idempotencyKey,
        );
        await subscribed;
        wx.removeStorageSync(draftKey());
        this.setData({
          submitting: false,
          idempotencyKey: '',
          draftRestored: false,
          created: {
            id: order.id,
            orderNo: order.orderNo,
            statusText: orderStatusText(order.status),
            visitFeeText: formatMoney(order.visitFee),
            estimateText: formatMoney(order.estimatedAmount),
          },
        });
        // The order stands whatever happens here; a failure only means typing it again next time.
        if (!d.chosen && d.saveToBook)
          await createAddress(typed).catch(() => wx.showToast({ title: '地址未能保存到地址簿', icon: 'none' }));
      } catch (err) {
        this.setData({ submitting: false, formError: (err as Error).message });
      }
    },
    onViewOrder(): void {
      if (this.data.created) wx.redirectTo({ url: `/pages/user/order-detail/order-detail?id=${this.data.created.id}` });
    },
    onBackHome(): void {
      wx.switchTab({ url: '/pages/index/index' });
    },
  },
});
