/**
 * A place to repair at, as the order form and the address book edit it: the same rules as the API's
 * (contact, region, a point on the map, a detailed address), and the two ways WeChat fills it in
 * (wx.chooseLocation for the point, wx.chooseAddress for the contact and the postal address).
 */
import { isMobilePhone } from './format';
import { askForSetting, isCancel, isDenied, showFailure } from './permission';

export interface PlaceForm {
  contactName: string;
  contactPhone: string;
  region: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
}

/** A page's data for a place form, empty. */
export const PLACE_DATA = {
  contactName: '',
  contactPhone: '',
  regionParts: [] as string[],
  region: '',
  address: '',
  latitude: null as number | null,
  longitude: null as number | null,
};

/** '' when the place can be saved or ordered to, else the first problem, in the form's order. */
export function placeError(d: PlaceForm): string {
  if (d.contactName.length < 1 || d.contactName.length > 20) return '请填写联系人（20 字以内）';
  if (!isMobilePhone(d.contactPhone)) return '请输入正确的手机号';
  if (d.region.length < 2) return '请选择所在地区';
  if (d.latitude === null || d.longitude === null) return '请在地图上选择上门地址';
  if (d.address.length < 5 || d.address.length > 200) return '详细地址需 5–200 字';
  return '';
}

/** The place a checked form holds (`placeError` returned ''), as the API takes it. */
export function placeOf(d: PlaceForm) {
  return {
    contactName: d.contactName,
    contactPhone: d.contactPhone,
    region: d.region,
    address: d.address,
    latitude: d.latitude as number,
    longitude: d.longitude as number,
  };
}

/** A point picked on the map; the detailed address is what the map calls it, unless `keepAddress`. */
export function chooseOnMap(
  onPicked: (p: { latitude: number; longitude: number; address: string }) => void,
  near?: { latitude: number | null; longitude: number | null },
): void {
  wx.chooseLocation({
    ...(near && near.latitude !== null && near.longitude !== null ? { latitude: near.latitude, longitude: near.longitude } : {}),
    success: (res) => {
      const address =
        res.address && res.name && !res.address.includes(res.name) ? `${res.address}${res.name}` : res.address || res.name;
      onPicked({ latitude: res.latitude, longitude: res.longitude, address });
    },
    fail: (err) => {
      if (isCancel(err.errMsg)) return;
      if (isDenied(err.errMsg))
        void askForSetting('scope.userLocation', '位置').then((granted) => {
          if (granted) chooseOnMap(onPicked, near);
        });
      else showFailure('打开地图选点', err.errMsg);
    },
  });
}

/** The user's WeChat address (收货地址): contact, phone, region and street, but no point on the map. */
export function importWechatAddress(): Promise<Omit<PlaceForm, 'latitude' | 'longitude'> | null> {
  return new Promise((resolve) => {
    wx.chooseAddress({
      success: (res) =>
        resolve({
          contactName: res.userName.trim().slice(0, 20),
          contactPhone: res.telNumber.replace(/\D/g, '').slice(-11),
          region: [res.provinceName, res.cityName, res.countyName].filter(Boolean).join(' '),
          address: res.detailInfo.trim(),
        }),
      fail: (err) => {
        if (isDenied(err.errMsg))
          void askForSetting('scope.address', '通讯地址').then((granted) => {
            if (granted) void importWechatAddress().then(resolve);
            else resolve(null);
          });
        else {
          if (!isCancel(err.errMsg)) showFailure('导入微信地址', err.errMsg);
          resolve(null);
        }
      },
    });
  });
}
