import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import {
  adminReviewsQuery,
  createReviewBody,
  electricianIdParams,
  hideBody,
  orderIdParams,
  reactionBody,
  replyBody,
  reviewIdParams,
  reviewsQuery,
} from './reviews.schemas';
import type { ReviewsService } from './reviews.service';

export const reviewsRequests = {
  create: { params: orderIdParams, body: createReviewBody },
  forOrder: { params: orderIdParams },
  listForElectrician: { params: electricianIdParams, query: reviewsQuery },
  reply: { params: reviewIdParams, body: replyBody },
  react: { params: reviewIdParams, body: reactionBody },
  adminList: { query: adminReviewsQuery },
  hide: { params: reviewIdParams, body: hideBody },
  unhide: { params: reviewIdParams },
};

export function createReviewsController(reviews: ReviewsService) {
  const react = (kind: 'helpful' | 'report') => async (req: Request) => {
    const { params, body } = valid(req, reviewsRequests.react);
    return reviews.react(principal(req), params.id, kind, body.reason);
  };
  return {
    tags: () => reviews.tags(),
    create: async (req: Request) => {
      const { params, body } = valid(req, reviewsRequests.create);
      return reviews.create(principal(req), params.id, body);
    },
    forOrder: async (req: Request) => reviews.forOrder(principal(req), valid(req, reviewsRequests.forOrder).params.id),
    listForElectrician: async (req: Request) => {
      const { params, query } = valid(req, reviewsRequests.listForElectrician);
      return paged(await reviews.listForElectrician(params.id, query));
    },
    reply: async (req: Request) => {
      const { params, body } = valid(req, reviewsRequests.reply);
      return reviews.reply(principal(req), params.id, body.content);
    },
    helpful: react('helpful'),
    report: react('report'),
    adminList: async (req: Request) => paged(await reviews.adminList(valid(req, reviewsRequests.adminList).query)),
    // Staff actions are written to the audit log by the route table.
    hide: async (req: Request) => {
      const { params, body } = valid(req, reviewsRequests.hide);
      return reviews.hide(principal(req), params.id, body.reason);
    },
    unhide: async (req: Request) => reviews.unhide(principal(req), valid(req, reviewsRequests.unhide).params.id),
  };
}
