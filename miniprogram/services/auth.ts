import { session, type SessionUser, type UserType } from '../stores/session';
import { request } from './request';

export interface LoginResult {
  token: string;
  refreshToken: string;
  expiresIn: number;
  userType: UserType;
  isNewUser: boolean;
  user: SessionUser;
}

export interface WechatUserInfo {
  nickName?: string;
  avatarUrl?: string;
  gender?: 0 | 1 | 2;
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error('wx.login returned no code'))),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

/** wx.login → POST /api/auth/wechat-login; stores the session. */
export async function wechatLogin(userInfo?: WechatUserInfo): Promise<LoginResult> {
  return loginWithCode(await wxLoginCode(), userInfo);
}

/** A dev account's name: what the API's dev WeChat mode accepts after `dev-`. */
export const DEV_NAME = /^[A-Za-z0-9_-]{1,60}$/;

/**
 * Develop builds only (config devSignIn): signs in as the dev account `dev-<name>`, which the API
 * answers in its dev WeChat mode (no WECHAT_APPID) — DevTools with the tourist AppID has no usable wx.login code.
 */
export function devLogin(name: string): Promise<LoginResult> {
  if (!DEV_NAME.test(name)) return Promise.reject(new Error('名字只能包含字母、数字、- 和 _'));
  return loginWithCode(`dev-${name}`);
}

async function loginWithCode(code: string, userInfo?: WechatUserInfo): Promise<LoginResult> {
  const result = await request<LoginResult>({
    url: '/api/auth/wechat-login',
    method: 'POST',
    auth: false,
    data: userInfo ? { code, userInfo } : { code },
  });
  session.setTokens(result.token, result.refreshToken);
  session.setUser(result.user);
  return result;
}

function rememberPhone(phone: string): void {
  const user = session.getUser();
  if (user) session.setUser({ ...user, phone, hasPhone: true });
}

/** Binds the phone number from a getPhoneNumber button's code. Returns the masked phone. */
export async function bindPhone(code: string): Promise<string> {
  const { phone } = await request<{ phone: string }>({ url: '/api/auth/bind-phone', method: 'POST', data: { code } });
  rememberPhone(phone);
  return phone;
}

export function sendSmsCode(phoneNumber: string): Promise<Record<string, never>> {
  return request({ url: '/api/auth/sms-code', method: 'POST', auth: false, data: { phoneNumber } });
}

/** Binds the phone number with an SMS verification code. Returns the masked phone. */
export async function bindPhoneBySms(phoneNumber: string, verifyCode: string): Promise<string> {
  const { phone } = await request<{ phone: string }>({
    url: '/api/auth/bind-phone',
    method: 'POST',
    data: { phoneNumber, verifyCode },
  });
  rememberPhone(phone);
  return phone;
}

export async function logout(): Promise<void> {
  const refreshToken = session.getRefreshToken();
  try {
    if (refreshToken) await request({ url: '/api/auth/logout', method: 'POST', data: { refreshToken }, silent: true });
  } finally {
    session.clear();
  }
}
