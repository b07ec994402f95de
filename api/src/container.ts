import type { Config } from './config';
import { createPlatform, type ContainerOptions } from './platform';
import type { Job } from './jobs/scheduler';
import { addressesModule } from './modules/addresses/addresses.module';
import { authModule } from './modules/auth/auth.module';
import { chatModule } from './modules/chat/chat.module';
import { chatSocket } from './modules/chat/chat.socket';
import { complaintsPortsOf } from './modules/complaints';
import { complaintsModule } from './modules/complaints/complaints.module';
import { dispatchModule } from './modules/dispatch/dispatch.module';
import { electriciansModule } from './modules/electricians/electricians.module';
import { faqModule } from './modules/faq/faq.module';
import { filesModule } from './modules/files/files.module';
import { financeModule } from './modules/finance/finance.module';
import { quotePricerOf } from './modules/inventory';
import { inventoryModule } from './modules/inventory/inventory.module';
import { invoicesModule } from './modules/invoices/invoices.module';
import { messagesModule } from './modules/messages/messages.module';
import { messagesSocket } from './modules/messages/messages.socket';
import { ordersPortsOf } from './modules/orders';
import { ordersModule } from './modules/orders/orders.module';
import { sharesPortOf } from './modules/payments';
import { paymentsModule } from './modules/payments/payments.module';
import { payoutsModule } from './modules/payouts/payouts.module';
import { reviewsModule } from './modules/reviews/reviews.module';
import { staffModule } from './modules/staff/staff.module';
import { usersModule } from './modules/users/users.module';
import type { ModuleParts } from './shared/module';
import type { RealtimeDeps } from './realtime';

/** The composition root: the platform, then the modules, each built once by its composition function and wired to the others' ports. */
export function createContainer(config: Config, options: ContainerOptions = {}) {
  const {
    platform: p,
    wechat,
    wxpay,
    sms,
    storage,
    rateLimitRedis,
    broadcast,
    chatBus,
    notificationBus,
    signer,
  } = createPlatform(config, options);
  const { db, clock, logger, bus, rateLimits } = p;

  // The modules, each built by its composition function from the platform and the ports of the
  // modules before it; their routes are mounted in the order of `modules` below. Each module that
  // holds an account's data registers its part of the account's deletion with `users.deletion`.
  const files = filesModule(p, { storage });
  const users = usersModule(p, { files: files.service });
  const auth = authModule(p, { users: users.ports, files: files.service, wechat, sms, signer, broadcast });
  const addresses = addressesModule(p, { users: users.ports, deletion: users.deletion });
  const electricians = electriciansModule(p, {
    users: users.ports,
    files: files.service,
    deletion: users.deletion,
    broadcast,
  });
  const chat = chatModule(p, {
    files: files.service,
    users: users.ports,
    chatBus,
    sendLimit: options.chatSendLimit,
    sendWindow: rateLimitRedis?.window('chat-send'),
  });
  // Dispatch offers orders (built next, as their routes answer offers) through orders' ports.
  const dispatch = dispatchModule(p, { orders: ordersPortsOf(db), electricians: electricians.ports });
  const orders = ordersModule(p, {
    files: files.service,
    electricians: electricians.ports,
    dispatch: { offers: dispatch.ports, service: dispatch.service },
    chat: chat.ports,
    users: users.ports,
    addresses: addresses.service,
    deletion: users.deletion,
    // Quotes are priced against inventory's price list (inventory is built later: it uses orders' ports).
    priceQuote: quotePricerOf(db),
  });
  // An order's settlement waits while a complaint about it is open (complaints is built last: it resolves through payments).
  const openComplaints = complaintsPortsOf(db);
  const payments = paymentsModule(p, {
    wxpay,
    orders: orders.ports,
    electricians: electricians.ports,
    users: users.ports,
    hasOpenComplaint: (orderId) => openComplaints.hasOpen(orderId),
    deletion: users.deletion,
  });
  const messages = messagesModule(p, {
    wechat,
    chat: chat.ports,
    chatBus,
    notificationBus,
    orders: orders.ports,
    users: users.ports,
    electricians: electricians.ports,
    deletion: users.deletion,
  });
  const reviews = reviewsModule(p, {
    orders: orders.ports,
    electricians: electricians.ports,
    users: users.ports,
    files: files.service,
    deletion: users.deletion,
  });
  // Inventory releases an order's parts requests on its events and notifies through messages.
  const inventory = inventoryModule(p, {
    orders: orders.ports,
    electricians: electricians.ports,
    messages: messages.service,
    staff: users.ports,
  });
  // Invoices: the amount from payments, the file through files, the customer told through messages.
  const invoices = invoicesModule(p, {
    orders: orders.ports,
    payments: payments.invoicing,
    files: files.service,
    messages: messages.service,
    staff: users.ports,
    deletion: users.deletion,
  });
  // Payouts credits settled shares to wallets and pays them out by merchant transfer; notifies through messages.
  const payouts = payoutsModule(p, {
    wxpay,
    electricians: electricians.ports,
    complaints: openComplaints,
    shares: sharesPortOf(db),
    messages: messages.service,
    deletion: users.deletion,
  });
  const staff = staffModule(p, { users: users.ports, auth: auth.service, files: files.service });
  const finance = financeModule(p, { reports: payments.reports, transfers: payouts.service });
  const complaints = complaintsModule(p, {
    orders: orders.ports,
    electricians: electricians.ports,
    rework: orders.service,
    refunds: payments.service,
    files: files.service,
    deletion: users.deletion,
  });
  // The customer-service bot answers in chat, hands off to agents through messages and files complaints.
  const faq = faqModule(p, {
    chat: chat.service,
    complaints: complaints.service,
    messages: messages.service,
    staff: users.ports,
  });

  // Mount order: staff and finance first (as before the split), then the rest.
  const modules: ModuleParts[] = [
    staff,
    finance,
    auth,
    users,
    addresses,
    electricians,
    orders,
    files,
    chat,
    messages,
    complaints,
    reviews,
    payments,
    dispatch,
    inventory,
    invoices,
    faq,
    payouts,
  ];
  const services = {
    auth: auth.service,
    users: users.service,
    files: files.service,
    electricians: electricians.service,
    orders: orders.service,
    dispatch: dispatch.service,
    payments: payments.service,
    chat: chat.service,
    messages: messages.service,
    reviews: reviews.service,
    staff: staff.service,
    finance: finance.service,
    addresses: addresses.service,
    complaints: complaints.service,
    inventory: inventory.service,
    invoices: invoices.service,
    faq: faq.service,
    payouts: payouts.service,
  };

  const jobs: Job[] = [
    // Domain events and chat deliveries whose delivery did not finish (the process died after the
    // commit) go out again.
    { name: 'events.redeliver', intervalMs: 15_000, run: async () => (await bus.redeliver()) + (await chatBus.redeliver()) },
    ...modules.flatMap((m) => m.jobs),
  ];

  /** What the realtime layer is built from: its ports and the modules' socket sides. */
  const realtime: RealtimeDeps = {
    config: { corsOrigins: config.corsOrigins, redisUrl: config.redisUrl, dispatchRadiusKm: config.business.dispatchRadiusKm },
    logger,
    clock,
    bus,
    authenticate: (token) => auth.service.authenticate(token),
    electricians: electricians.ports,
    orders: orders.ports,
    staff: users.ports,
    imageRefs: (ids) => files.service.refs(ids),
    socketBuckets: options.socketBuckets ?? {},
    features: [
      chatSocket({ chat: chat.service, chatBus, audit: staff.service }),
      messagesSocket({ messages: messages.service, notificationBus, chatBus }),
    ],
  };

  return {
    config,
    logger,
    db,
    clock,
    bus,
    chatBus,
    idCards: electricians.idCards,
    wechat,
    wxpay,
    sms,
    storage,
    rateLimits,
    /** The rate-limit counters' Redis client (REDIS_URL only); server.stop() and the test harness close it. */
    rateLimitRedis,
    /** Messages to every instance (Redis pub/sub with REDIS_URL); server.stop() and the test harness close it. */
    broadcast,
    signer,
    /** Every route, in mount order. */
    routes: modules.flatMap((m) => m.routes),
    /** Every periodic job (server.ts runs them; tests drive them by hand). */
    jobs,
    realtime,
    /** Every module's service: the app's guard and audit hook use auth's and staff's; tests and scripts drive them. */
    services,
    /** The orders repository under the running service, for tests that make the database fail there. */
    ordersRepository: orders.repository,
  };
}

export type Container = ReturnType<typeof createContainer>;

export type { ContainerOptions } from './platform';
