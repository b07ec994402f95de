import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { valid } from '../../shared/validate';
import { addressIdParams, createAddressBody, toAddressView, updateAddressBody } from './addresses.schemas';
import type { AddressesService } from './addresses.service';

export const addressesRequests = {
  create: { body: createAddressBody },
  update: { params: addressIdParams, body: updateAddressBody },
  byId: { params: addressIdParams },
};

export function createAddressesController(addresses: AddressesService) {
  return {
    list: async (req: Request) => (await addresses.list(principal(req).id)).map(toAddressView),
    create: async (req: Request) =>
      toAddressView(await addresses.create(principal(req).id, valid(req, addressesRequests.create).body)),
    update: async (req: Request) => {
      const { params, body } = valid(req, addressesRequests.update);
      return toAddressView(await addresses.update(principal(req).id, params.id, body));
    },
    remove: async (req: Request) => {
      await addresses.remove(principal(req).id, valid(req, addressesRequests.byId).params.id);
      return {};
    },
  };
}
