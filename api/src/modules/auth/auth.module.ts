import type { SmsProvider } from '../../integrations/sms';
import type { WechatClient } from '../../integrations/wechat/wechat';
import type { Broadcast } from '../../shared/broadcast';
import type { ModuleParts, Platform } from '../../shared/module';
import type { FilesService } from '../files';
import type { AccountUsers } from '../users';
import { createAuthRepository } from './auth.repository';
import { authRoutes } from './auth.routes';
import { createAuthService } from './auth.service';
import { createSessionCache, FORGET_CHANNEL } from './session-cache';
import type { TokenSigner } from './tokens';

/** Sign-in (WeChat, SMS), token refresh and logout, and the request's authentication. */
export function authModule(
  p: Platform,
  d: {
    users: AccountUsers;
    files: FilesService;
    wechat: WechatClient;
    sms: SmsProvider;
    signer: TokenSigner;
    broadcast: Broadcast;
  },
) {
  const { db, clock, bus, config } = p;
  // Every instance forgets a user's cached sessions when any instance changes who they are. The
  // domain events are staged with the change, so a forget whose broadcast failed (Redis down) is
  // published again with the event (event-outbox.ts); what a cut-off instance missed, it drops
  // when its subscription is back.
  const sessions = createSessionCache({ clock, maxAgeMs: config.sessionCacheMs });
  d.broadcast.subscribe(
    FORGET_CHANNEL,
    (message) => sessions.forget(Number(message)),
    () => sessions.clear(),
  );
  const forget = (userId: number) => d.broadcast.publish(FORGET_CHANNEL, String(userId));
  bus.subscribe('session.ended', (e) => forget(e.userId));
  bus.subscribe('staff.role_changed', (e) => forget(e.userId));
  bus.subscribe('electrician.verified', (e) => forget(e.userId));
  const service = createAuthService({
    sessions,
    forget,
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
