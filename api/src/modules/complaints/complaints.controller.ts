import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { Complaint, ComplaintEvent } from './complaints.repository';
import {
  adminComplaintsQuery,
  escalateBody,
  idParams,
  messageBody,
  myComplaintsQuery,
  openComplaintBody,
  replyBody,
  resolveBody,
  type complaintView,
} from './complaints.schemas';
import type { ComplaintsService } from './complaints.service';
import type { z } from 'zod';

export const complaintsRequests = {
  open: { params: idParams, body: openComplaintBody },
  mine: { query: myComplaintsQuery },
  byId: { params: idParams },
  message: { params: idParams, body: messageBody },
  adminList: { query: adminComplaintsQuery },
  reply: { params: idParams, body: replyBody },
  escalate: { params: idParams, body: escalateBody },
  resolve: { params: idParams, body: resolveBody },
};

/** Signed URLs for upload ids (the files module's `refs`). */
export type ImageRefs = (ids: number[]) => Promise<{ id: number; url: string }[]>;

type View = z.infer<typeof complaintView>;

export function createComplaintsController(complaints: ComplaintsService, refs: ImageRefs) {
  const r = complaintsRequests;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const images = async (ids: number[]) => (await refs(ids)).map(({ id, url }) => ({ id, url }));

  async function view(c: Complaint, events?: ComplaintEvent[]): Promise<View> {
    return {
      id: c.id,
      orderId: c.orderId,
      orderNo: c.orderNo,
      customerId: c.customerId,
      electricianId: c.electricianId,
      type: c.type,
      content: c.content,
      images: await images(c.images),
      level: c.level,
      status: c.status,
      outcome: c.outcome,
      refundAmount: c.refundAmount,
      refundNo: c.refundNo,
      resolutionNote: c.resolutionNote,
      firstResponseAt: iso(c.firstResponseAt),
      resolvedAt: iso(c.resolvedAt),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      ...(events
        ? {
            events: await Promise.all(
              events.map(async (e) => ({
                id: e.id,
                action: e.action,
                fromStatus: e.fromStatus,
                toStatus: e.toStatus,
                level: e.level,
                actorId: e.actorId,
                actorRole: e.actorRole,
                content: e.content,
                images: await images(e.images),
                details: e.details,
                createdAt: e.createdAt.toISOString(),
              })),
            ),
          }
        : {}),
    };
  }
  const detail = ({ complaint, events }: { complaint: Complaint; events: ComplaintEvent[] }) => view(complaint, events);
  const page = async (p: Awaited<ReturnType<ComplaintsService['mine']>>) =>
    paged({ ...p, items: await Promise.all(p.items.map((c) => view(c))) });

  return {
    open: async (req: Request) => {
      const { params, body } = valid(req, r.open);
      return view(await complaints.open(principal(req), params.id, body));
    },
    mine: async (req: Request) => page(await complaints.mine(principal(req), valid(req, r.mine).query)),
    get: async (req: Request) => detail(await complaints.get(principal(req), valid(req, r.byId).params.id)),
    message: async (req: Request) => {
      const { params, body } = valid(req, r.message);
      await complaints.message(principal(req), params.id, body);
      return detail(await complaints.get(principal(req), params.id));
    },

    adminList: async (req: Request) => page(await complaints.adminList(valid(req, r.adminList).query)),
    adminGet: async (req: Request) => detail(await complaints.adminGet(valid(req, r.byId).params.id)),
    reply: async (req: Request) => {
      const { params, body } = valid(req, r.reply);
      await complaints.reply(principal(req), params.id, body.content);
      return detail(await complaints.adminGet(params.id));
    },
    escalate: async (req: Request) => {
      const { params, body } = valid(req, r.escalate);
      await complaints.escalate(principal(req), params.id, body.reason);
      return detail(await complaints.adminGet(params.id));
    },
    resolve: async (req: Request) => {
      const { params, body } = valid(req, r.resolve);
      await complaints.resolve(principal(req), params.id, body);
      return detail(await complaints.adminGet(params.id));
    },
  };
}
