/**
 * A customer asked for a person in their customer-service conversation (SPEC 3.11), staged in the
 * transaction that set it waiting for an agent and wrote the system line (`messageId`), so the
 * agents hear of it even if the process dies right after the commit. (Not `chat.*`: those names
 * are the chat bus's to redeliver, and this is a domain event.)
 */
export interface ServiceEscalated {
  name: 'customer_service.escalated';
  conversationId: number;
  customerId: number;
  /** The system line announcing the hand-off: names this escalation (a conversation may be escalated again later). */
  messageId: number;
  reason: string | null;
  at: Date;
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    ServiceEscalated: ServiceEscalated;
  }
}
