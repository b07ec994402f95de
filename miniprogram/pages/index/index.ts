import { catalogItems, type CatalogItem } from '../../services/catalog';
import { listOrders, pricing, type Order } from '../../services/orders';
import { session } from '../../stores/session';
import { orderStatusText } from '../../utils/format';
import { currentRole, goLanding } from '../../utils/landing';
import { formatMoney } from '../../utils/money';

/** A service on the grid: a fault type of the price list, with its icon (assets/icons/services). */
interface ServiceTile {
  faultType: string;
  name: string;
  icon: string;
  fromText: string;
  /** '维修 ¥30起': the least standard price of the type's labour on the price list, if it has any. */
  repairFromText: string;
}

interface PriceRow {
  faultType: string;
  name: string;
  visitFeeText: string;
  estimateText: string;
  /** The price list's labour for the type ('更换插座 ¥30/个、更换开关 ¥30/个'), if it has any. */
  referenceText: string;
}

/** The customer's order in progress, at a glance. */
interface CurrentOrder {
  id: number;
  title: string;
  statusText: string;
  hint: string;
  count: number;
}

const ORDER_FORM = '/pages/user/order/order';
const PRICE_LIST = '/pages/user/price-list/price-list';
/** Statuses in which an order is still under way for the customer. */
const UNDER_WAY = ['pending', 'accepted', 'arrived', 'quoted', 'in_progress'];
const HINTS: Record<string, string> = {
  pending: '正在为你匹配附近的认证电工',
  accepted: '电工已接单，正在赶来',
  arrived: '电工已上门，检查后会给你报价',
  quoted: '电工已报价，等你确认',
  in_progress: '电工正在维修',
};

const iconOf = (faultType: string) => `/assets/icons/services/${faultType}.svg`;

Component({
  data: {
    title: '家里电路有问题？',
    tagline: '附近实名认证电工上门维修，先报价后维修',
    loading: true,
    error: '',
    services: [] as ServiceTile[],
    prices: [] as PriceRow[],
    urgentSurchargeText: '',
    current: null as CurrentOrder | null,
    trust: [
      { icon: '/assets/icons/trust/certified.svg', text: '实名认证电工' },
      { icon: '/assets/icons/trust/quote.svg', text: '先报价后维修' },
      { icon: '/assets/icons/trust/visit-fee.svg', text: '上门前取消免费' },
      { icon: '/assets/icons/trust/warranty.svg', text: '保修期内售后' },
    ],
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
    /** The order under way changes while the page is hidden (a tab page stays alive). */
    onShow(): void {
      void this.loadCurrent();
    },
    async loadPrices(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const [items, labour] = await Promise.all([
          pricing(),
          // The price list's references are a help: the home shows its fees without them.
          catalogItems({ category: 'labour' }).catch(() => [] as CatalogItem[]),
        ]);
        const referenceOf = (faultType: string) =>
          labour
            .filter((i) => i.faultTypes.includes(faultType as CatalogItem['faultTypes'][number]))
            .slice(0, 2)
            .map((i) => `${i.name} ${formatMoney(i.standardPrice).replace(/\.00$/, '')}/${i.unit}`)
            .join('、');
        const repairFrom = (faultType: string) => {
          const own = labour.filter((i) => i.faultTypes.includes(faultType as CatalogItem['faultTypes'][number]));
          if (own.length === 0) return '';
          return `维修 ${formatMoney(Math.min(...own.map((i) => i.standardPrice))).replace(/\.00$/, '')}起`;
        };
        this.setData({
          loading: false,
          services: items.map((item) => ({
            faultType: item.faultType,
            name: item.name,
            icon: iconOf(item.faultType),
            fromText: `上门 ${formatMoney(item.visitFee).replace(/\.00$/, '')}`,
            repairFromText: repairFrom(item.faultType),
          })),
          prices: items.map((item) => ({
            faultType: item.faultType,
            name: item.name,
            visitFeeText: formatMoney(item.visitFee),
            estimateText: formatMoney(item.estimatedAmount),
            referenceText: referenceOf(item.faultType),
          })),
          urgentSurchargeText: items.length ? formatMoney(items[0].urgentSurcharge) : '',
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    /** The latest order still under way (and how many there are), for a signed-in customer. */
    async loadCurrent(): Promise<void> {
      if (!session.isLoggedIn() || currentRole() === 'electrician') {
        this.setData({ current: null });
        return;
      }
      try {
        const res = await listOrders({ as: 'customer', page: 1, limit: 20 }, { silent: true });
        const underWay = res.data.filter((o: Order) => UNDER_WAY.includes(o.status));
        const o = underWay[0];
        this.setData({
          current: o
            ? {
                id: o.id,
                title: o.title,
                statusText: orderStatusText(o.status),
                hint: HINTS[o.status] ?? '',
                count: underWay.length,
              }
            : null,
        });
      } catch {
        // The card is a shortcut: the orders tab has the same and shows its own errors.
      }
    },
    onPriceList(): void {
      wx.navigateTo({ url: PRICE_LIST });
    },
    onService(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `${ORDER_FORM}?faultType=${String(e.currentTarget.dataset.type)}` });
    },
    onOrder(): void {
      wx.navigateTo({ url: ORDER_FORM });
    },
    onCurrent(): void {
      const c = this.data.current;
      if (!c) return;
      if (c.count > 1) wx.switchTab({ url: '/pages/orders/orders' });
      else wx.navigateTo({ url: `/pages/user/order-detail/order-detail?id=${c.id}` });
    },
    onPullDownRefresh(): void {
      void Promise.all([this.loadPrices(), this.loadCurrent()]).then(() => wx.stopPullDownRefresh());
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return {
        title: '电工维修平台 · 附近认证电工上门维修',
        path: '/pages/index/index',
      };
    },
  },
});
