import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { maskPhone } from '../../shared/privacy';
import { valid } from '../../shared/validate';
import { toUserView } from '../users';
import { bindPhoneBody, logoutBody, refreshBody, smsCodeBody, wechatLoginBody } from './auth.schemas';
import type { AuthService, ClientMeta } from './auth.service';

export const authRequests = {
  wechatLogin: { body: wechatLoginBody },
  refresh: { body: refreshBody },
  logout: { body: logoutBody },
  smsCode: { body: smsCodeBody },
  bindPhone: { body: bindPhoneBody },
};

const meta = (req: Request): ClientMeta => ({ ip: req.ip, userAgent: req.get('user-agent') });

export function createAuthController(auth: AuthService) {
  return {
    wechatLogin: async (req: Request) => {
      const result = await auth.wechatLogin(valid(req, authRequests.wechatLogin).body, meta(req));
      return { ...result, user: toUserView(result.user, result.user.avatarUrl) };
    },
    refresh: (req: Request) => auth.refresh(valid(req, authRequests.refresh).body.refreshToken, meta(req)),
    logout: async (req: Request) => {
      await auth.logout(principal(req), valid(req, authRequests.logout).body.refreshToken);
      return {};
    },
    smsCode: async (req: Request) => {
      await auth.sendSmsCode(valid(req, authRequests.smsCode).body.phoneNumber, meta(req));
      return {};
    },
    bindPhone: async (req: Request) => ({
      phone: maskPhone(await auth.bindPhone(principal(req), valid(req, authRequests.bindPhone).body)),
    }),
  };
}
