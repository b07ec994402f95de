import type { Config } from './config';
import { createDb, type Db } from './db';
import { createDevSms, createDisabledSms, type SmsProvider } from './integrations/sms';
import { createStorage, type Storage } from './integrations/storage/storage';
import { createDevWechat, createLiveWechat, type WechatClient } from './integrations/wechat/wechat';
import { createDevWechatPay, createLiveWechatPay, DEV_PAY_APPID, type WechatPay } from './integrations/wechatpay/wechatpay';
import { createAddressesRepository } from './modules/addresses/addresses.repository';
import { createAddressesService } from './modules/addresses/addresses.service';
import { createAuthRepository } from './modules/auth/auth.repository';
import { createElectriciansRepository } from './modules/electricians/electricians.repository';
import { createElectriciansService } from './modules/electricians/electricians.service';
import { createIdCardCipher } from './modules/electricians/id-card';
import { createFilesRepository } from './modules/files/files.repository';
import { createFilesService } from './modules/files/files.service';
import { createDispatchRepository, createDispatchService, subscribeDispatch } from './modules/dispatch';
import { createOrdersRepository } from './modules/orders/orders.repository';
import { createOrdersService } from './modules/orders/orders.service';
import { createPaymentReports } from './modules/payments/payment-reports.repository';
import { createPaymentsRepository } from './modules/payments/payments.repository';
import { createPaymentsService } from './modules/payments/payments.service';
import { createComplaintsRepository } from './modules/complaints/complaints.repository';
import { createComplaintsService } from './modules/complaints/complaints.service';
import { createIdempotency } from './shared/idempotency';
import { createChatRepository } from './modules/chat/chat.repository';
import { createChatService, type ChatEvent } from './modules/chat/chat.service';
import { subscribeNotifications } from './modules/messages/messages.events';
import { createMessagesRepository } from './modules/messages/messages.repository';
import { createMessagesService, type NotificationEvent } from './modules/messages/messages.service';
import { createReviewsRepository } from './modules/reviews/reviews.repository';
import { createReviewsService } from './modules/reviews/reviews.service';
import { createAuthService, type AuthService, type ClientMeta } from './modules/auth/auth.service';
import { createTokenSigner } from './modules/auth/tokens';
import { createUsersRepository } from './modules/users/users.repository';
import { createUsersService } from './modules/users/users.service';
import { createStaffRepository } from './modules/staff/staff.repository';
import { createStaffService } from './modules/staff/staff.service';
import { createFinanceService } from './modules/finance/finance.service';
import { systemClock, type Clock } from './shared/clock';
import type { DomainEvent } from './shared/domain-events';
import { createEventBus } from './shared/events';
import { CHAT_EVENTS, createDurableBus, DOMAIN_EVENTS } from './shared/event-outbox';
import { createLogger, type Logger } from './shared/logger';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './shared/rate-limit';
import { createRateLimitRedis } from './shared/rate-limit-redis';
import type { ClientToServerEvents } from './realtime/events';
import type { BucketSpec } from './realtime/handlers';
import type { RealtimePorts } from './realtime';

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

/** The composition root: builds integrations, repositories and services once and wires them. */
export function createContainer(config: Config, options: ContainerOptions = {}) {
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
  const idCards = createIdCardCipher(config.idCardKey);

  // A repository that shows or searches another module's rows takes that module's port.
  const authRepository = createAuthRepository(db);
  const usersRepository = createUsersRepository(db, authRepository);
  const ordersRepository = createOrdersRepository(db);
  const repositories = {
    users: usersRepository,
    auth: authRepository,
    electricians: createElectriciansRepository(db, usersRepository),
    files: createFilesRepository(db),
    orders: ordersRepository,
    dispatch: createDispatchRepository(db),
    payments: createPaymentsRepository(db, ordersRepository),
    chat: createChatRepository(db),
    messages: createMessagesRepository(db),
    complaints: createComplaintsRepository(db),
    reviews: createReviewsRepository(db, usersRepository),
    staff: createStaffRepository(db, usersRepository),
    addresses: createAddressesRepository(db),
  };
  const signer = createTokenSigner(config.jwtSecret, clock);
  const filesService = createFilesService({ db, uploads: repositories.files, storage, clock, logger, secret: config.jwtSecret });
  const addresses = createAddressesService({
    db,
    addresses: repositories.addresses,
    lockOwner: (userId, trx) => repositories.users.lockLive(userId, trx),
    clock,
  });
  const services = {
    auth: createAuthService({
      db,
      users: repositories.users,
      auth: repositories.auth,
      wechat,
      sms,
      signer,
      clock,
      bus,
      adminOpenids: config.adminOpenids,
      secret: config.jwtSecret,
      files: filesService,
    }),
    users: createUsersService({
      db,
      users: repositories.users,
      sessions: repositories.auth,
      files: filesService,
      clock,
      bus,
      account: {
        lockElectrician: (userId, trx) => repositories.electricians.lockByUserId(userId, trx),
        busyChecks: [
          async (party, trx) => ((await repositories.orders.hasOpenFor(party, trx)) ? '你有进行中的工单' : null),
          async (party, trx) => ((await repositories.complaints.hasOpenFor(party, trx)) ? '你有处理中的投诉' : null),
          // Once payouts exist: a pending withdrawal, e.g. repositories.withdrawals.hasPending(party, trx).
        ],
        erasers: [
          (party, _deletedOpenid, _now, trx) => addresses.eraseAll(party.customerId, trx),
          (party, _deletedOpenid, _now, trx) => repositories.messages.eraseUser(party.customerId, trx),
          (party, _deletedOpenid, now, trx) => repositories.orders.anonymiseCustomer(party.customerId, now, trx),
          (party, _deletedOpenid, now, trx) => repositories.reviews.anonymiseAuthor(party.customerId, now, trx),
          (party, deletedOpenid, now, trx) => repositories.payments.anonymisePayer(party.customerId, deletedOpenid, now, trx),
          async (party, _deletedOpenid, now, trx) => {
            if (party.electricianId !== null) await repositories.electricians.erase(party.electricianId, now, trx);
          },
        ],
      },
    }),
    files: filesService,
    electricians: createElectriciansService({
      db,
      electricians: repositories.electricians,
      users: repositories.users,
      files: filesService,
      idCards,
      bus,
      clock,
    }),
    orders: createOrdersService({
      db,
      orders: repositories.orders,
      electricians: repositories.electricians,
      files: filesService,
      dispatch: repositories.dispatch,
      bus,
      clock,
      idempotency: createIdempotency(db, clock),
      business: config.business,
      logger: logger.child({ module: 'orders' }),
      openConversation: (o, now, trx) => repositories.chat.openForOrder(o, now, trx),
      lockCustomer: (userId, trx) => repositories.users.lockLive(userId, trx),
      placeOf: (userId, addressId, trx) => addresses.placeOf(userId, addressId, trx),
    }),
    dispatch: createDispatchService({
      db,
      offers: repositories.dispatch,
      orders: repositories.orders,
      electricians: repositories.electricians,
      bus,
      clock,
      business: config.business,
      logger: logger.child({ module: 'dispatch' }),
    }),
    payments: createPaymentsService({
      db,
      payments: repositories.payments,
      orders: repositories.orders,
      electricians: repositories.electricians,
      users: repositories.users,
      wxpay,
      bus,
      clock,
      business: config.business,
      logger: logger.child({ module: 'payments' }),
      hasOpenComplaint: (orderId: number) => repositories.complaints.hasOpen(orderId),
    }),
    chat: createChatService({
      db,
      chat: repositories.chat,
      files: filesService,
      bus: chatBus,
      clock,
      logger: logger.child({ module: 'chat' }),
      sendLimit: options.chatSendLimit,
      sendWindow: rateLimitRedis?.window('chat-send'),
    }),
    messages: createMessagesService({
      db,
      messages: repositories.messages,
      chat: repositories.chat,
      orders: repositories.orders,
      users: repositories.users,
      wechat,
      templates: config.subscribeTemplates,
      bus: notificationBus,
      clock,
      logger: logger.child({ module: 'messages' }),
    }),
    reviews: createReviewsService({
      db,
      reviews: repositories.reviews,
      orders: repositories.orders,
      electricians: repositories.electricians,
      files: filesService,
      bus,
      clock,
    }),
    staff: createStaffService({
      db,
      staff: repositories.staff,
      sessions: repositories.auth,
      // Staff web sessions are ordinary sessions: same tokens, refresh and logout.
      openSession: (userId: number, meta: ClientMeta): ReturnType<AuthService['openSession']> =>
        services.auth.openSession(userId, meta),
      files: filesService,
      clock,
      bus,
      logger: logger.child({ module: 'staff' }),
    }),
    finance: createFinanceService({ db, reports: createPaymentReports(db, repositories.orders), clock }),
    addresses,
  };

  const complaints = createComplaintsService({
    db,
    complaints: repositories.complaints,
    orders: repositories.orders,
    electricians: repositories.electricians,
    ordersService: services.orders,
    payments: services.payments,
    files: filesService,
    bus,
    clock,
    business: config.business,
    logger: logger.child({ module: 'complaints' }),
  });

  const realtime: RealtimePorts = { electricians: repositories.electricians, orders: repositories.orders };

  subscribeDispatch(bus, services.dispatch);
  services.chat.subscribe(bus);
  subscribeNotifications(bus, {
    messages: services.messages,
    repository: repositories.messages,
    staff: repositories.users,
    electricians: repositories.electricians,
    orders: repositories.orders,
    dispatchRadiusKm: config.business.dispatchRadiusKm,
  });
  chatBus.subscribe('chat.read', (e) => services.messages.chatRead(e.userId, e.conversationId));

  return {
    config,
    logger,
    db,
    clock,
    bus,
    chatBus,
    notificationBus,
    idCards,
    wechat,
    wxpay,
    sms,
    storage,
    rateLimits,
    /** The rate-limit counters' Redis client (REDIS_URL only); server.stop() and the test harness close it. */
    rateLimitRedis,
    socketBuckets: options.socketBuckets ?? {},
    signer,
    /** What realtime reads of the modules (its ports). */
    realtime,
    repositories,
    // Complaints are built after the services they resolve through (orders' rework, payments' refunds).
    services: { ...services, complaints },
  };
}

export type Container = ReturnType<typeof createContainer>;
