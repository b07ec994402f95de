import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { createReviewsController, reviewsRequests } from './reviews.controller';
import { reactionView, reviewView, tagsView } from './reviews.schemas';
import type { ReviewsService } from './reviews.service';

export function reviewsRoutes(service: ReviewsService): RouteDef[] {
  const c = createReviewsController(service);
  const tags = ['Reviews'];
  return [
    // --- the tag list (public: the mini-program shows it before login too)
    {
      method: 'get',
      path: '/api/reviews/tags',
      summary: 'The fixed list of review tags',
      tags,
      auth: 'public',
      response: tagsView,
      handler: c.tags,
    },
    // --- reviewing an order
    {
      method: 'post',
      path: '/api/orders/:id/review',
      summary: "Review my completed, paid order, once (409 ALREADY_REVIEWED); images are my 'review' uploads",
      tags,
      auth: 'user',
      schemas: reviewsRequests.create,
      response: reviewView,
      status: 201,
      handler: c.create,
    },
    {
      method: 'get',
      path: '/api/orders/:id/review',
      summary: "The order's review, for its customer, its electrician and staff (404 when none)",
      tags,
      auth: 'user',
      staff: 'orders.read',
      schemas: reviewsRequests.forOrder,
      response: reviewView,
      handler: c.forOrder,
    },
    {
      method: 'get',
      path: '/api/electricians/:id/reviews',
      summary: "An electrician's visible reviews, newest first; reviewers masked (匿名用户 when anonymous)",
      tags,
      auth: 'user',
      staff: 'self',
      schemas: reviewsRequests.listForElectrician,
      response: z.array(reviewView),
      handler: c.listForElectrician,
    },
    // --- replies and reactions
    {
      method: 'post',
      path: '/api/reviews/:id/reply',
      summary: "The order's electrician replies to the review, once (409 ALREADY_REPLIED)",
      tags,
      auth: 'user',
      schemas: reviewsRequests.reply,
      response: reviewView,
      handler: c.reply,
    },
    {
      method: 'post',
      path: '/api/reviews/:id/helpful',
      summary: 'Mark a review helpful (once per user; a repeat changes nothing)',
      tags,
      auth: 'user',
      schemas: reviewsRequests.react,
      response: reactionView,
      handler: c.helpful,
    },
    {
      method: 'post',
      path: '/api/reviews/:id/report',
      summary: 'Report a review to staff (once per user; a repeat changes nothing)',
      tags,
      auth: 'user',
      schemas: reviewsRequests.react,
      response: reactionView,
      handler: c.report,
    },
    // --- staff: moderation
    {
      method: 'get',
      path: '/api/admin/reviews',
      summary: 'Reviews for moderation, newest first (filter by status, electrician, reported only)',
      tags: ['Admin'],
      auth: { permission: 'reviews.moderate' },
      schemas: reviewsRequests.adminList,
      response: z.array(reviewView),
      handler: c.adminList,
    },
    {
      method: 'post',
      path: '/api/admin/reviews/:id/hide',
      summary: "Hide a review with a reason; it stops counting towards the electrician's rating (hiding twice is harmless)",
      tags: ['Admin'],
      auth: { permission: 'reviews.moderate' },
      schemas: reviewsRequests.hide,
      response: reviewView,
      handler: c.hide,
    },
    {
      method: 'post',
      path: '/api/admin/reviews/:id/unhide',
      summary: "Show a hidden review again; it counts towards the electrician's rating again",
      tags: ['Admin'],
      auth: { permission: 'reviews.moderate' },
      schemas: reviewsRequests.unhide,
      response: reviewView,
      handler: c.unhide,
    },
  ];
}
