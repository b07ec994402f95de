import type { ModuleParts, Platform } from '../../shared/module';
import type { ChatService, ServiceEscalated } from '../chat';
import type { ComplaintOpener } from '../complaints';
import type { MessagesService } from '../messages';
import type { StaffDirectory } from '../users';
import { createFaqRepository } from './faq.repository';
import { faqRoutes } from './faq.routes';
import { createFaqService } from './faq.service';

/**
 * The smart customer service (SPEC 3.11): the knowledge base staff keep, the bot that answers a
 * customer's question in their customer-service conversation (through chat's service), votes on
 * answers, the questions nothing answered, the hand-off to agents (notified through messages) and
 * the turn of a conversation into a complaint (through complaints).
 */
export function faqModule(
  p: Platform,
  d: {
    chat: ChatService;
    complaints: ComplaintOpener;
    messages: Pick<MessagesService, 'notify'>;
    staff: StaffDirectory;
  },
) {
  const repository = createFaqRepository(p.db);
  const service = createFaqService({
    faq: repository,
    chat: d.chat,
    complaints: d.complaints,
    messages: d.messages,
    staff: d.staff,
    clock: p.clock,
  });
  // Agents hear of a hand-off from the event staged with it (redelivered after a crash).
  p.bus.subscribe('customer_service.escalated', (e: ServiceEscalated) => service.notifyAgents(e));
  const parts: ModuleParts = { routes: faqRoutes(service), jobs: [] };
  return { service, ...parts };
}
