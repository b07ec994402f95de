import type { DurableBus } from '../../shared/event-outbox';
import type { ModuleParts, Platform } from '../../shared/module';
import type { SlidingWindow } from '../../shared/rate-limit';
import type { FilesService } from '../files';
import type { UserProfiles } from '../users';
import { createChatRepository } from './chat.repository';
import { chatRoutes } from './chat.routes';
import { createChatService, type ChatEvent } from './chat.service';
import type { ChatPorts } from './index';

/**
 * Chat: conversations, messages and read marks over REST (the socket side is `chatSocket`), system
 * messages for order events, and the conversation an accepted order opens (`ports.openForOrder`).
 */
export function chatModule(
  p: Platform,
  d: {
    files: FilesService;
    users: Pick<UserProfiles, 'profiles'>;
    /** Chat deliveries: durable, staged with each message. */
    chatBus: DurableBus<ChatEvent>;
    sendLimit?: { limit: number; windowMs: number };
    sendWindow?: SlidingWindow;
  },
) {
  const { db, clock, logger, bus } = p;
  const repository = createChatRepository(db);
  const service = createChatService({
    db,
    events: bus,
    chat: repository,
    files: d.files,
    users: d.users,
    bus: d.chatBus,
    clock,
    logger: logger.child({ module: 'chat' }),
    sendLimit: d.sendLimit,
    sendWindow: d.sendWindow,
  });
  service.subscribe(bus);
  const parts: ModuleParts = { routes: chatRoutes(service), jobs: [] };
  const ports: ChatPorts = {
    findById: repository.findById,
    participant: repository.participant,
    unread: repository.unread,
    openForOrder: repository.openForOrder,
    statusLineIn: service.statusLineIn,
  };
  return { service, ...parts, ports };
}
