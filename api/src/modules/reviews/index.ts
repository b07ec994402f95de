/** What other modules may use of reviews (the rest is its own): nothing yet beyond its service's type. */
export type { ReviewsService } from './reviews.service';
