import { z } from 'zod';
import { limiter, type RateLimits } from '../../shared/rate-limit';
import type { RouteDef } from '../../shared/routing';
import { authRequests, createAuthController } from './auth.controller';
import { loginResult, tokenPair } from './auth.schemas';
import type { AuthService } from './auth.service';

export function authRoutes(service: AuthService, limits: RateLimits): RouteDef[] {
  const c = createAuthController(service);
  const tags = ['Auth'];
  return [
    {
      method: 'post',
      path: '/api/auth/wechat-login',
      summary: 'Log in with a wx.login code (dev mode: dev-<name>)',
      tags,
      auth: 'public',
      before: [limiter(limits, 'login')],
      schemas: authRequests.wechatLogin,
      response: loginResult,
      handler: c.wechatLogin,
    },
    {
      method: 'post',
      path: '/api/auth/refresh',
      summary: 'Rotate a refresh token; the old one is revoked',
      tags,
      auth: 'public',
      before: [limiter(limits, 'refresh')],
      schemas: authRequests.refresh,
      response: tokenPair,
      handler: c.refresh,
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Revoke the current session',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: authRequests.logout,
      handler: c.logout,
    },
    {
      method: 'post',
      path: '/api/auth/sms-code',
      summary: 'Send a phone verification code (1 per minute, 10 per day per phone)',
      tags,
      auth: 'public',
      before: [limiter(limits, 'smsCode')],
      schemas: authRequests.smsCode,
      handler: c.smsCode,
    },
    {
      method: 'post',
      path: '/api/auth/bind-phone',
      summary: 'Bind a phone number with a WeChat phone code or an SMS code',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: authRequests.bindPhone,
      response: z.object({ phone: z.string() }),
      handler: c.bindPhone,
    },
  ];
}
