import { LOGIN_PAGE } from '../../../services/request';
import { askForSetting, isCancel, isDenied, showFailure } from '../../../utils/permission';
import { SUBSCRIBE_MOMENTS, subscribeTemplateIds } from '../../../config/index';
import { requestSubscriptions } from '../../../services/messages';
import { createOrder, feesFor, newIdempotencyKey, pricing, type PriceItem } from '../../../services/orders';
import { session } from '../../../stores/session';
import { chinaDateTime, chinaToday, isMobilePhone, orderStatusText } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { photoHandlers, type Photo, type PhotoPage } from '../../../utils/photo-picker';

const MAX_PHOTOS = 9;

interface CreatedOrder {
  id: number;
  orderNo: string;
  statusText: string;
  visitFeeText: string;
  estimateText: string;
}

function validate(d: {
  contactName: string;
  contactPhone: string;
  region: string;
  address: string;
  latitude: number | null;
  description: string;
}): string {
  if (d.contactName.length < 1 || d.contactName.length > 20) return '请填写联系人（20 字以内）';
  if (!isMobilePhone(d.contactPhone)) return '请输入正确的手机号';
  if (d.region.length < 2) return '请选择所在地区';
  if (d.latitude === null) return '请在地图上选择上门地址';
  if (d.address.length < 5 || d.address.length > 200) return '详细地址需 5–200 字';
  if (d.description.length < 5 || d.description.length > 1000) return '故障描述需 5–1000 字';
  return '';
}

Component({
  data: {
    loading: true,
    loadError: '',
    prices: [] as PriceItem[],
    faultNames: [] as string[],
    faultIndex: 0,
    urgent: false,
    visitFeeText: '',
    estimateText: '',
    surchargeText: '',
    contactName: '',
    contactPhone: '',
    regionParts: [] as string[],
    region: '',
    address: '',
    latitude: null as number | null,
    longitude: null as number | null,
    description: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    today: '',
    scheduledDate: '',
    scheduledTime: '',
    formError: '',
    submitting: false,
    /** One key per submit attempt: kept when the attempt fails so a retry cannot create a second order. */
    idempotencyKey: '',
    created: null as CreatedOrder | null,
  },
  methods: {
    onLoad(): void {
      const user = session.getUser();
      if (user?.name) this.setData({ contactName: user.name });
      this.setData({ today: chinaToday() });
      void this.loadPrices();
    },
    async loadPrices(): Promise<void> {
      this.setData({ loading: true, loadError: '' });
      try {
        const prices = await pricing();
        this.setData({ loading: false, prices, faultNames: prices.map((p) => p.name) });
        this.updateFees();
      } catch (err) {
        this.setData({ loading: false, loadError: (err as Error).message });
      }
    },
    updateFees(): void {
      const item = this.data.prices[this.data.faultIndex];
      if (!item) return;
      const fees = feesFor(item, this.data.urgent);
      this.setData({
        visitFeeText: formatMoney(fees.visitFee),
        estimateText: formatMoney(fees.estimatedAmount),
        surchargeText: formatMoney(item.urgentSurcharge),
      });
    },
    /** Any change to the form makes the next submit a new attempt. */
    edit(patch: Record<string, unknown>): void {
      this.setData({ ...patch, idempotencyKey: '', formError: '' });
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
    // A changed photo list is part of the saved draft.
    ...photoHandlers<PhotoPage & { edit(patch: { photos: Photo[] }): void }>('order', (page, photos) => page.edit({ photos })),
    onChooseLocation(): void {
      wx.chooseLocation({
        success: (res) => {
          const address =
            res.address && res.name && !res.address.includes(res.name) ? `${res.address}${res.name}` : res.address || res.name;
          this.edit({ latitude: res.latitude, longitude: res.longitude, address });
        },
        fail: (err) => {
          if (isCancel(err.errMsg)) return;
          if (isDenied(err.errMsg))
            void askForSetting('scope.userLocation', '位置').then((granted) => {
              if (granted) this.onChooseLocation();
            });
          else showFailure('打开地图选点', err.errMsg);
        },
      });
    },
    async onSubmit(): Promise<void> {
      if (this.data.submitting) return;
      const d = this.data;
      const item = d.prices[d.faultIndex];
      if (!item) return;
      const formError = validate(d);
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
      try {
        const order = await createOrder(
          {
            faultType: item.faultType,
            urgentType: d.urgent ? 'urgent' : 'normal',
            contactName: d.contactName,
            contactPhone: d.contactPhone,
            region: d.region,
            address: d.address,
            latitude: d.latitude as number,
            longitude: d.longitude as number,
            description: d.description,
            ...(d.photos.length ? { images: d.photos.map((p) => p.id) } : {}),
            ...(d.scheduledDate ? { scheduledAt: chinaDateTime(d.scheduledDate, d.scheduledTime || '09:00') } : {}),
          },
          idempotencyKey,
        );
        await subscribed;
        this.setData({
          submitting: false,
          idempotencyKey: '',
          created: {
            id: order.id,
            orderNo: order.orderNo,
            statusText: orderStatusText(order.status),
            visitFeeText: formatMoney(order.visitFee),
            estimateText: formatMoney(order.estimatedAmount),
          },
        });
      } catch (err) {
        this.setData({ submitting: false, formError: (err as Error).message });
      }
    },
    onViewOrder(): void {
      if (this.data.created) wx.redirectTo({ url: `/pages/user/order-detail/order-detail?id=${this.data.created.id}` });
    },
    onBackHome(): void {
      wx.reLaunch({ url: '/pages/index/index' });
    },
  },
});
