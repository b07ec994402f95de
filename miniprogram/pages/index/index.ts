import { pricing } from '../../services/orders';
import { currentRole, goLanding } from '../../utils/landing';
import { formatMoney } from '../../utils/money';

interface PriceRow {
  faultType: string;
  name: string;
  visitFeeText: string;
  estimateText: string;
}

Component({
  data: {
    title: '电工维修平台',
    tagline: '家庭电路故障，附近认证电工上门维修',
    loading: true,
    error: '',
    prices: [] as PriceRow[],
    urgentSurchargeText: '',
  },
  methods: {
    onLoad(): void {
      // The app opens here (the first page); an electrician's workspace starts in the hall.
      if (currentRole() === 'electrician') {
        goLanding('electrician');
        return;
      }
      void this.loadPrices();
    },
    async loadPrices(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const items = await pricing();
        this.setData({
          loading: false,
          prices: items.map((item) => ({
            faultType: item.faultType,
            name: item.name,
            visitFeeText: formatMoney(item.visitFee),
            estimateText: formatMoney(item.estimatedAmount),
          })),
          urgentSurchargeText: items.length ? formatMoney(items[0].urgentSurcharge) : '',
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    onPullDownRefresh(): void {
      void this.loadPrices().then(() => wx.stopPullDownRefresh());
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return {
        title: '电工维修平台 · 附近认证电工上门维修',
        path: '/pages/index/index',
      };
    },
  },
});
