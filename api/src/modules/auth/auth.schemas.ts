import { z } from 'zod';
import { userView } from '../users';

export const mobilePhone = z.string().regex(/^1[3-9]\d{9}$/, '请输入正确的手机号');

export const wechatLoginBody = z.strictObject({
  code: z.string().trim().min(1).max(128),
  userInfo: z
    .object({
      nickName: z.string().trim().max(64).optional(),
      avatarUrl: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .optional(),
      // wx.getUserProfile: 0 unknown, 1 male, 2 female
      gender: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    })
    .optional(),
});
export type WechatLoginBody = z.infer<typeof wechatLoginBody>;

export const refreshBody = z.strictObject({ refreshToken: z.string().min(20).max(200) });
export const logoutBody = refreshBody;

export const smsCodeBody = z.strictObject({ phoneNumber: mobilePhone });

export const bindPhoneBody = z.union([
  z.strictObject({ code: z.string().trim().min(1).max(256) }),
  z.strictObject({ phoneNumber: mobilePhone, verifyCode: z.string().regex(/^\d{6}$/, '验证码为 6 位数字') }),
]);
export type BindPhoneBody = z.infer<typeof bindPhoneBody>;

export const tokenPair = z
  .object({ token: z.string(), refreshToken: z.string(), expiresIn: z.number().int() })
  .meta({ id: 'TokenPair' });

export const loginResult = tokenPair
  .extend({
    userType: z.enum(['user', 'electrician', 'admin']),
    isNewUser: z.boolean(),
    user: userView,
  })
  .meta({ id: 'LoginResult' });
