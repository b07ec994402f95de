import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { addressesRequests as r, createAddressesController } from './addresses.controller';
import { addressView, MAX_ADDRESSES } from './addresses.schemas';
import type { AddressesService } from './addresses.service';

export function addressesRoutes(addresses: AddressesService): RouteDef[] {
  const c = createAddressesController(addresses);
  const tags = ['Addresses'];
  return [
    // --- my address book (another user's id is 404)
    {
      method: 'get',
      path: '/api/addresses',
      summary: 'My addresses, the default first',
      tags,
      auth: 'user',
      response: z.array(addressView),
      handler: c.list,
    },
    {
      method: 'post',
      path: '/api/addresses',
      summary: `Save an address (the first is the default; at most ${MAX_ADDRESSES}, else 409 ADDRESS_LIMIT)`,
      tags,
      auth: 'user',
      status: 201,
      schemas: r.create,
      response: addressView,
      handler: c.create,
    },
    {
      method: 'patch',
      path: '/api/addresses/:id',
      summary: 'Change an address; isDefault: true makes it the only default',
      tags,
      auth: 'user',
      schemas: r.update,
      response: addressView,
      handler: c.update,
    },
    {
      method: 'put',
      path: '/api/addresses/:id',
      summary: 'The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH)',
      tags,
      auth: 'user',
      schemas: r.update,
      response: addressView,
      handler: c.update,
    },
    {
      method: 'delete',
      path: '/api/addresses/:id',
      summary: 'Delete an address (deleting the default makes the most recent other one the default)',
      tags,
      auth: 'user',
      schemas: r.byId,
      response: z.object({}),
      handler: c.remove,
    },
  ];
}
