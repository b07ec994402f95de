import type { ModuleParts, Platform } from '../../shared/module';
import type { RatingPort } from '../electricians';
import type { FilesService } from '../files';
import type { ReviewOrdersPort } from '../orders';
import type { AccountDeletion, UserProfiles } from '../users';
import { createReviewsRepository } from './reviews.repository';
import { reviewsRoutes } from './reviews.routes';
import { createReviewsService } from './reviews.service';

/** Reviews of paid orders, the electricians' replies and ratings, and the reactions to them. */
export function reviewsModule(
  p: Platform,
  d: { orders: ReviewOrdersPort; electricians: RatingPort; users: UserProfiles; files: FilesService; deletion: AccountDeletion },
) {
  const { db, clock, bus } = p;
  const repository = createReviewsRepository(db, d.users);
  const service = createReviewsService({
    db,
    reviews: repository,
    orders: d.orders,
    electricians: d.electricians,
    files: d.files,
    bus,
    clock,
  });
  d.deletion.erase((party, _openid, now, trx) => repository.anonymiseAuthor(party.customerId, now, trx));
  const parts: ModuleParts = { routes: reviewsRoutes(service), jobs: [] };
  return { service, ...parts };
}
