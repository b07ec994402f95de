import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { createMessagesController, messagesRequests } from './messages.controller';
import { notificationView, readAllView, subscriptionsView, unreadCountView } from './messages.schemas';
import type { MessagesService } from './messages.service';

export function messagesRoutes(service: MessagesService): RouteDef[] {
  const c = createMessagesController(service);
  const tags = ['Messages'];
  return [
    // --- message center
    {
      method: 'get',
      path: '/api/messages',
      summary: 'My notifications, newest first, by type and read status',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: messagesRequests.list,
      response: z.array(notificationView),
      handler: c.list,
    },
    {
      method: 'get',
      path: '/api/messages/unread-count',
      summary: 'My unread notifications, in total and by type',
      tags,
      auth: 'user',
      staff: 'self',
      response: unreadCountView,
      handler: c.unreadCount,
    },
    {
      method: 'post',
      path: '/api/messages/read-all',
      summary: 'Mark all my notifications read',
      tags,
      auth: 'user',
      staff: 'self',
      response: readAllView,
      handler: c.readAll,
    },
    {
      method: 'post',
      path: '/api/messages/:id/read',
      summary: 'Mark one of my notifications read',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: messagesRequests.read,
      response: notificationView,
      handler: c.read,
    },
    // --- WeChat subscribe messages
    {
      method: 'get',
      path: '/api/messages/subscriptions',
      summary: 'The subscribe-message templates to request, and my remaining one-time grants',
      tags,
      auth: 'user',
      staff: 'self',
      response: subscriptionsView,
      handler: c.subscriptions,
    },
    {
      method: 'post',
      path: '/api/messages/subscriptions',
      summary: 'Record the grants of a wx.requestSubscribeMessage answer (one send per accepted template)',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: messagesRequests.subscribe,
      response: subscriptionsView,
      handler: c.subscribe,
    },
  ];
}
