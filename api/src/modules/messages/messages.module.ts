import type { WechatClient } from '../../integrations/wechat/wechat';
import type { EventBus } from '../../shared/events';
import type { DurableBus } from '../../shared/event-outbox';
import type { ModuleParts, Platform } from '../../shared/module';
import type { ChatEvent, ConversationReader } from '../chat';
import type { PushCandidates } from '../electricians';
import type { OrderReader } from '../orders';
import type { AccountDeletion, StaffDirectory, UserReader } from '../users';
import { subscribeNotifications } from './messages.events';
import { createMessagesRepository } from './messages.repository';
import { messagesRoutes } from './messages.routes';
import { createMessagesService, type NotificationEvent } from './messages.service';

/**
 * The message center: notifications stored from domain events (and pushed through the
 * notification bus), read marks, subscribe messages and their retrying outbox.
 */
export function messagesModule(
  p: Platform,
  d: {
    wechat: WechatClient;
    chat: ConversationReader;
    chatBus: DurableBus<ChatEvent>;
    /** Stored notifications, for the realtime layer to push. */
    notificationBus: EventBus<NotificationEvent>;
    orders: OrderReader;
    users: UserReader & StaffDirectory;
    electricians: PushCandidates;
    deletion: AccountDeletion;
  },
) {
  const { db, clock, bus, config, logger } = p;
  const repository = createMessagesRepository(db);
  const service = createMessagesService({
    db,
    messages: repository,
    chat: d.chat,
    orders: d.orders,
    users: d.users,
    wechat: d.wechat,
    templates: config.subscribeTemplates,
    bus: d.notificationBus,
    clock,
    logger: logger.child({ module: 'messages' }),
  });
  subscribeNotifications(bus, {
    messages: service,
    repository,
    staff: d.users,
    electricians: d.electricians,
    orders: d.orders,
    dispatchRadiusKm: config.business.dispatchRadiusKm,
  });
  // A conversation read on any device clears its unread notification.
  d.chatBus.subscribe('chat.read', (e) => service.chatRead(e.userId, e.conversationId));
  d.deletion.erase((party, _openid, _now, trx) => repository.eraseUser(party.customerId, trx));
  const parts: ModuleParts = {
    routes: messagesRoutes(service),
    jobs: [
      // Subscribe messages are sent right after their notification; this retries failures with backoff.
      { name: 'messages.subscribe-outbox', intervalMs: 15_000, run: () => service.deliverSubscribeMessages() },
    ],
  };
  return { service, ...parts };
}
