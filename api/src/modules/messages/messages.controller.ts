import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import { listQuery, notificationParams, subscriptionsBody } from './messages.schemas';
import type { MessagesService } from './messages.service';

export const messagesRequests = {
  list: { query: listQuery },
  read: { params: notificationParams },
  subscribe: { body: subscriptionsBody },
};

export function createMessagesController(messages: MessagesService) {
  return {
    list: async (req: Request) => paged(await messages.list(principal(req).id, valid(req, messagesRequests.list).query)),
    unreadCount: (req: Request) => messages.unreadCount(principal(req).id),
    read: (req: Request) => messages.read(principal(req).id, valid(req, messagesRequests.read).params.id),
    readAll: (req: Request) => messages.readAll(principal(req).id),
    subscribe: (req: Request) => messages.subscribe(principal(req).id, valid(req, messagesRequests.subscribe).body),
    subscriptions: (req: Request) => messages.subscriptions(principal(req).id),
  };
}
