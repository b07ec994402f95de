import type { Config } from './config';
import { createDb, type Db } from './db';
import { createDevSms, createDisabledSms, type SmsProvider } from './integrations/sms';
import { createDevWechat, createLiveWechat, type WechatClient } from './integrations/wechat/wechat';
import { createAuthRepository } from './modules/auth/auth.repository';
import { createAuthService } from './modules/auth/auth.service';
import { createTokenSigner } from './modules/auth/tokens';
import { createUsersRepository } from './modules/users/users.repository';
import { createUsersService } from './modules/users/users.service';
import { systemClock, type Clock } from './shared/clock';
import { createLogger, type Logger } from './shared/logger';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './shared/rate-limit';

/** What a caller (main, a test, a benchmark) may supply instead of the configured default. */
export interface ContainerOptions {
  db?: Db;
  clock?: Clock;
  logger?: Logger;
  wechat?: WechatClient;
  sms?: SmsProvider;
  rateLimits?: Partial<RateLimits>;
}

/** The composition root: builds integrations, repositories and services once and wires them. */
export function createContainer(config: Config, options: ContainerOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? createDb(config.databaseUrl);
  const clock = options.clock ?? systemClock;
  const wechat =
    options.wechat ??
    (config.wechat.mode === 'dev'
      ? createDevWechat()
      : createLiveWechat({ ...config.wechat, logger: logger.child({ integration: 'wechat' }), clock }));
  const sms = options.sms ?? (config.sms.provider === 'dev' ? createDevSms(logger) : createDisabledSms());
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };

  const repositories = {
    users: createUsersRepository(db),
    auth: createAuthRepository(db),
  };
  const signer = createTokenSigner(config.jwtSecret, clock);
  const services = {
    auth: createAuthService({
      db,
      users: repositories.users,
      auth: repositories.auth,
      wechat,
      sms,
      signer,
      clock,
      adminOpenids: config.adminOpenids,
      secret: config.jwtSecret,
    }),
    users: createUsersService({ db, users: repositories.users, sessions: repositories.auth, clock }),
  };

  return { config, logger, db, clock, wechat, sms, rateLimits, signer, repositories, services };
}

export type Container = ReturnType<typeof createContainer>;
