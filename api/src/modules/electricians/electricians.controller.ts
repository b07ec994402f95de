import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { ElectriciansService } from './electricians.service';
import { adminElectriciansQuery, applyBody, electricianIdParams, updateMeBody, verifyBody } from './electricians.schemas';

export const electriciansRequests = {
  apply: { body: applyBody },
  updateMe: { body: updateMeBody },
  getPublic: { params: electricianIdParams },
  adminList: { query: adminElectriciansQuery },
  verify: { params: electricianIdParams, body: verifyBody },
};

export function createElectriciansController(electricians: ElectriciansService) {
  return {
    apply: async (req: Request) => electricians.apply(principal(req).id, valid(req, electriciansRequests.apply).body),
    getMe: async (req: Request) => electricians.getMe(principal(req).id),
    updateMe: async (req: Request) => electricians.updateMe(principal(req).id, valid(req, electriciansRequests.updateMe).body),
    getPublic: async (req: Request) => electricians.getPublic(valid(req, electriciansRequests.getPublic).params.id),
    adminList: async (req: Request) => paged(await electricians.list(valid(req, electriciansRequests.adminList).query)),
    verify: async (req: Request) => {
      const { params, body } = valid(req, electriciansRequests.verify);
      const actor = principal(req);
      const decided = await electricians.verify(actor, params.id, body);
      req.log.info(
        {
          actor: actor.id,
          targetElectricianId: decided.id,
          targetUserId: decided.userId,
          decision: body.approved ? 'approved' : 'rejected',
          note: body.note,
        },
        'electrician application decided',
      );
      return decided;
    },
  };
}
