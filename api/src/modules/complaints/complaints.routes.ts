import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { complaintsRequests as r, createComplaintsController, type ImageRefs } from './complaints.controller';
import { complaintView } from './complaints.schemas';
import type { ComplaintsService } from './complaints.service';

export function complaintsRoutes(complaints: ComplaintsService, refs: ImageRefs): RouteDef[] {
  const c = createComplaintsController(complaints, refs);
  const tags = ['Complaints'];
  return [
    // --- customers and electricians
    {
      method: 'post',
      path: '/api/orders/:id/complaints',
      summary: 'Complain about my completed order within the warranty period (one open complaint per order)',
      tags,
      auth: 'user',
      staff: 'none',
      status: 201,
      schemas: r.open,
      response: complaintView,
      handler: c.open,
    },
    {
      method: 'get',
      path: '/api/complaints',
      summary: "My complaints (a customer's own, or as an electrician those about my orders)",
      tags,
      auth: 'user',
      schemas: r.mine,
      response: z.array(complaintView),
      handler: c.mine,
    },
    {
      method: 'get',
      path: '/api/complaints/:id',
      summary: 'A complaint with its history (its customer, the order’s electrician, staff)',
      tags,
      auth: 'user',
      staff: 'complaints.read',
      schemas: r.byId,
      response: complaintView,
      handler: c.get,
    },
    {
      method: 'post',
      path: '/api/complaints/:id/messages',
      summary: 'The customer adds a message (and photos) to their complaint while it is handled',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.message,
      response: complaintView,
      handler: c.message,
    },

    // --- staff
    {
      method: 'get',
      path: '/api/admin/complaints',
      summary: 'All complaints, newest first, filtered by status, level, type and keyword (order no. or content)',
      tags,
      auth: { permission: 'complaints.read' },
      schemas: r.adminList,
      response: z.array(complaintView),
      handler: c.adminList,
    },
    {
      method: 'get',
      path: '/api/admin/complaints/:id',
      summary: 'A complaint with its history',
      tags,
      auth: { permission: 'complaints.read' },
      schemas: r.byId,
      response: complaintView,
      handler: c.adminGet,
    },
    {
      method: 'post',
      path: '/api/admin/complaints/:id/reply',
      summary: 'Reply to a complaint (open → processing)',
      tags,
      auth: { permission: 'complaints.handle' },
      schemas: r.reply,
      response: complaintView,
      handler: c.reply,
    },
    {
      method: 'post',
      path: '/api/admin/complaints/:id/escalate',
      summary: 'Escalate the level: normal → serious → critical (409 ALREADY_CRITICAL)',
      tags,
      auth: { permission: 'complaints.handle' },
      schemas: r.escalate,
      response: complaintView,
      handler: c.escalate,
    },
    {
      method: 'post',
      path: '/api/admin/complaints/:id/resolve',
      summary:
        'Resolve: rework (the order returns to its electrician, free), refund (refundAmount fen, through WeChat Pay), compensate, or reject',
      tags,
      auth: { permission: 'complaints.handle' },
      schemas: r.resolve,
      response: complaintView,
      handler: c.resolve,
    },
  ];
}
