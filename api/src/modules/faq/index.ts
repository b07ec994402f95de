/** What other modules may use of the customer-service knowledge base (the rest is its own). */
export type { FaqService, Answer } from './faq.service';
export { FAQ_CATEGORIES, type FaqCategory } from './faq.schemas';
