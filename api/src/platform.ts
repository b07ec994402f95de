import type { Config } from './config';
import { createDb, type Db } from './db';
import { createDevSms, createDisabledSms, type SmsProvider } from './integrations/sms';
import { createStorage, type Storage } from './integrations/storage/storage';
import { createDevWechat, createLiveWechat, type WechatClient } from './integrations/wechat/wechat';
import { createDevWechatPay, createLiveWechatPay, DEV_PAY_APPID, type WechatPay } from './integrations/wechatpay/wechatpay';
import { createTokenSigner } from './modules/auth/tokens';
import type { ChatEvent } from './modules/chat';
import type { NotificationEvent } from './modules/messages';
import type { ClientToServerEvents } from './realtime/events';
import type { BucketSpec } from './realtime/handlers';
import { createBroadcast } from './shared/broadcast';
import { systemClock, type Clock } from './shared/clock';
import type { DomainEvent } from './shared/domain-events';
import { createEventBus } from './shared/events';
import { CHAT_EVENTS, createDurableBus, DOMAIN_EVENTS } from './shared/event-outbox';
import { createLogger, type Logger } from './shared/logger';
import type { Platform } from './shared/module';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './shared/rate-limit';
import { createRateLimitRedis } from './shared/rate-limit-redis';

/** What a caller (main, a test, a benchmark) may supply instead of the configured default. */
export interface ContainerOptions {
  db?: Db;
  clock?: Clock;
  logger?: Logger;
  wechat?: WechatClient;
  sms?: SmsProvider;
  /** WeChat Pay; tests pass a live client pointed at the fake WeChat Pay server. */
  wxpay?: WechatPay;
  /** File storage; tests pass a COS storage pointed at the fake COS server. */
  storage?: Storage;
  rateLimits?: Partial<RateLimits>;
  /** Chat messages per user (default DEFAULT_SEND_LIMIT); the benchmarks lift it. */
  chatSendLimit?: { limit: number; windowMs: number };
  /** Client events per socket, by event (default DEFAULT_BUCKET); the benchmarks lift them. */
  socketBuckets?: Partial<Record<keyof ClientToServerEvents, BucketSpec>>;
}

/**
 * What the modules are built on: the database, clock and logger, the outside services (WeChat,
 * WeChat Pay, SMS, file storage), the event buses and the rate limits, each from the configuration
 * unless the caller supplies it.
 */
export function createPlatform(config: Config, options: ContainerOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? createDb(config.databaseUrl, { logger: logger.child({ component: 'db' }) });
  const clock = options.clock ?? systemClock;
  const wechat =
    options.wechat ??
    (config.wechat.mode === 'dev'
      ? createDevWechat(logger.child({ integration: 'wechat' }))
      : createLiveWechat({ ...config.wechat, logger: logger.child({ integration: 'wechat' }), clock, db }));
  const wxpay =
    options.wxpay ??
    (config.wxpay.mode === 'dev'
      ? createDevWechatPay(clock)
      : createLiveWechatPay({
          ...config.wxpay,
          // JSAPI pays for the mini-program's appid; dev WeChat login has none, so a dev appid stands in.
          appid: config.wechat.mode === 'live' ? config.wechat.appid : DEV_PAY_APPID,
          clock,
          logger: logger.child({ integration: 'wechatpay' }),
        }));
  const sms = options.sms ?? (config.sms.provider === 'dev' ? createDevSms(logger) : createDisabledSms());
  const storage = options.storage ?? createStorage(config.storage);
  // With REDIS_URL, rate-limit counters live in Redis so that every instance counts against one
  // total; without it, each process counts its own. Closed by rateLimitRedis.close() (server stop).
  const rateLimitRedis = config.redisUrl ? createRateLimitRedis(config.redisUrl, logger) : undefined;
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  if (rateLimitRedis) rateLimits.store ??= rateLimitRedis.store;

  const bus = createDurableBus<DomainEvent>({
    bus: createEventBus(logger.child({ component: 'bus' })),
    db,
    clock,
    logger: logger.child({ component: 'bus' }),
    scope: DOMAIN_EVENTS,
  });
  // Chat deliveries have their own bus (they are not domain events other modules react to), as
  // durable: staged with the message, redelivered from the same event_outbox after a crash.
  const chatBus = createDurableBus<ChatEvent>({
    bus: createEventBus(logger.child({ component: 'chat-bus' })),
    db,
    clock,
    logger: logger.child({ component: 'chat-bus' }),
    scope: CHAT_EVENTS,
  });
  // Stored notifications, for the realtime layer to push.
  const notificationBus = createEventBus<NotificationEvent>(logger.child({ component: 'notification-bus' }));
  // What one instance must tell every other (with REDIS_URL): e.g. a session to forget. Closed by server stop.
  const broadcast = createBroadcast(config.redisUrl, logger);
  const platform: Platform = { config, db, clock, logger, bus, rateLimits };
  const signer = createTokenSigner(config.jwtSecret, clock);
  return { platform, wechat, wxpay, sms, storage, rateLimitRedis, broadcast, chatBus, notificationBus, signer };
}
