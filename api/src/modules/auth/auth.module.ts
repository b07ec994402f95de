import type { SmsProvider } from '../../integrations/sms';
import type { WechatClient } from '../../integrations/wechat/wechat';
import type { ModuleParts, Platform } from '../../shared/module';
import type { FilesService } from '../files';
import type { AccountUsers } from '../users';
import { createAuthRepository } from './auth.repository';
import { authRoutes } from './auth.routes';
import { createAuthService } from './auth.service';
import type { TokenSigner } from './tokens';

/** Sign-in (WeChat, SMS), token refresh and logout, and the request's authentication. */
export function authModule(
  p: Platform,
  d: { users: AccountUsers; files: FilesService; wechat: WechatClient; sms: SmsProvider; signer: TokenSigner },
) {
  const { db, clock, bus, config } = p;
  const service = createAuthService({
    db,
    users: d.users,
    auth: createAuthRepository(db),
    wechat: d.wechat,
    sms: d.sms,
    signer: d.signer,
    clock,
    bus,
    adminOpenids: config.adminOpenids,
    secret: config.jwtSecret,
    files: d.files,
  });
  const parts: ModuleParts = { routes: authRoutes(service, p.rateLimits), jobs: [] };
  return { service, ...parts };
}
