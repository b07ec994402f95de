import type { Request, Response } from 'express';
import { z } from 'zod';
import { principal } from '../../shared/auth';
import { paged, type RouteDef } from '../../shared/routing';
import { valid } from '../../shared/validate';
import {
  conversationParams,
  conversationView,
  historyQuery,
  listQuery,
  messageInput,
  messageView,
  readBody,
} from './chat.schemas';
import type { ChatService } from './chat.service';

const requests = {
  list: { query: listQuery },
  history: { params: conversationParams, query: historyQuery },
  send: { params: conversationParams, body: messageInput },
  read: { params: conversationParams, body: readBody },
  claim: { params: conversationParams },
};

export function chatRoutes(chat: ChatService): RouteDef[] {
  const tags = ['Chat'];
  return [
    {
      method: 'get',
      path: '/api/chat/conversations',
      summary: 'My conversations (staff: also every customer-service one), with the last message and unread count',
      tags,
      auth: 'user',
      staff: 'chat.service',
      schemas: requests.list,
      response: z.array(conversationView),
      handler: async (req: Request) => paged(await chat.list(principal(req), valid(req, requests.list).query)),
    },
    {
      method: 'post',
      path: '/api/chat/customer-service',
      summary: 'My customer-service conversation with the staff (created once)',
      tags,
      auth: 'user',
      staff: 'none',
      response: conversationView,
      handler: (req: Request) => chat.customerService(principal(req)),
    },
    {
      method: 'get',
      path: '/api/chat/conversations/:id/messages',
      summary: 'Messages, newest first; pass nextCursor as `before` for older ones',
      tags,
      auth: 'user',
      staff: 'chat.service',
      schemas: requests.history,
      response: z.array(messageView),
      handler: async (req: Request, res: Response) => {
        const { params, query } = valid(req, requests.history);
        const { items, nextCursor } = await chat.history(principal(req), params.id, query);
        res.json({ success: true, data: items, nextCursor });
      },
    },
    {
      method: 'post',
      path: '/api/chat/conversations/:id/messages',
      summary: 'Send a text or image message; the same clientId returns the first message instead of a duplicate',
      tags,
      auth: 'user',
      staff: 'chat.service',
      schemas: requests.send,
      response: messageView,
      status: 201,
      handler: (req: Request) => {
        const { params, body } = valid(req, requests.send);
        return chat.send(principal(req), { ...body, conversationId: params.id });
      },
    },
    {
      method: 'post',
      path: '/api/chat/conversations/:id/read',
      summary: 'Mark messages read up to an id; the other participants get message-read',
      tags,
      auth: 'user',
      staff: 'chat.service',
      schemas: requests.read,
      response: z.object({ conversationId: z.number(), userId: z.number(), upToMessageId: z.number() }),
      handler: (req: Request) => {
        const { params, body } = valid(req, requests.read);
        return chat.read(principal(req), params.id, body.upToMessageId);
      },
    },

    // --- customer-service agents
    {
      method: 'post',
      path: '/api/admin/chat/conversations/:id/claim',
      summary:
        'Pick up a customer-service conversation (status with_agent, assignee me); 409 CONVERSATION_TAKEN when a colleague has it. An agent’s first reply picks it up too.',
      tags,
      auth: { permission: 'chat.service' },
      schemas: requests.claim,
      response: conversationView,
      handler: (req: Request) => chat.claim(principal(req), valid(req, requests.claim).params.id),
    },
    {
      method: 'post',
      path: '/api/admin/chat/conversations/:id/release',
      summary:
        'End the human service (结束人工服务): the customer-service conversation goes back to the bot (status bot, no assignee) with a system line; the next escalation notifies every agent again',
      tags,
      auth: { permission: 'chat.service' },
      schemas: requests.claim,
      response: conversationView,
      handler: (req: Request) => chat.release(principal(req), valid(req, requests.claim).params.id),
    },
  ];
}
