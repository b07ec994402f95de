import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { maskPhone } from '../shared/privacy';

/** Sends verification codes. A production provider (e.g. Tencent Cloud SMS) implements this. */
export interface SmsProvider {
  readonly name: string;
  sendCode(phone: string, code: string): Promise<void>;
}

/** Dev provider: the code goes to the log, where a developer reads it. */
export function createDevSms(logger: Logger): SmsProvider {
  return {
    name: 'dev',
    async sendCode(phone, code) {
      logger.info({ phone: maskPhone(phone), code }, 'dev SMS provider: verification code');
    },
  };
}

/** No provider configured: SMS binding is unavailable and says so. */
export function createDisabledSms(): SmsProvider {
  return {
    name: 'disabled',
    async sendCode() {
      throw new AppError('SMS_UNAVAILABLE', 503, '短信验证暂不可用，请使用微信手机号授权');
    },
  };
}
