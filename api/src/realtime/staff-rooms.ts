import type { StaffDirectory } from '../modules/users';
import type { StaffRole } from '../shared/auth';
import { can, PERMISSIONS, ROLE_PERMISSIONS, type Permission } from '../shared/permissions';
import { socketsIn } from './cluster';
import { userRoom } from './events';
import type { AppServer } from './order-pushes';

/** A staff socket is in one room per permission of its role: `perm:orders.read`, `perm:chat.service`, … */
export const permissionRoom = (permission: Permission) => `perm:${permission}`;
const EVERY_PERMISSION_ROOM = PERMISSIONS.map(permissionRoom);

/** The rooms a staff role's sockets join (none without a role). */
export const roomsOfRole = (staffRole: StaffRole | null | undefined): string[] =>
  staffRole ? ROLE_PERMISSIONS[staffRole].map(permissionRoom) : [];

/** A socket on this instance or (Redis adapter) another one. */
interface Member {
  id: string;
  data: { userId: number };
  join(rooms: string[]): unknown;
  leave(room: string): unknown;
}

export type StaffRooms = ReturnType<typeof createStaffRooms>;

/**
 * Staff pushes by permission, re-checked against the database when they are sent: a socket joins
 * its role's permission rooms at the handshake, but a push to a permission room goes only to the
 * sockets whose user is, as the database says now, active staff whose role grants it. A socket
 * found wanting is moved to the rooms of its user's current role (none, when no longer staff), and
 * a role change moves every socket of the user at once (`resync`, on `staff.role_changed`).
 */
export function createStaffRooms(io: AppServer, staff: Pick<StaffDirectory, 'activeStaffRoles'>) {
  /** The current staff role of each of `userIds` who is active staff. */
  const currentRoles = (userIds: number[]) => staff.activeStaffRoles(userIds);

  /** Leaves the permission rooms the role does not grant and joins those it does. */
  function place(socket: Member, staffRole: StaffRole | undefined): void {
    const granted = roomsOfRole(staffRole);
    for (const room of EVERY_PERMISSION_ROOM) if (!granted.includes(room)) socket.leave(room);
    if (granted.length > 0) socket.join(granted);
  }

  return {
    /** Of `userIds`, those who are active staff granted `permission` now. */
    async granted(userIds: number[], permission: Permission): Promise<Set<number>> {
      const roles = await currentRoles([...new Set(userIds)]);
      return new Set([...roles].filter(([, role]) => can(role, permission)).map(([id]) => id));
    },

    /**
     * The ids of the sockets (each socket is a room of its own) that may receive a push needing
     * `permission`: those in its room whose user still has it. The others are re-placed.
     */
    async permitted(permission: Permission): Promise<string[]> {
      const sockets = await socketsIn(io, permissionRoom(permission));
      if (sockets.length === 0) return [];
      const roles = await currentRoles([...new Set(sockets.map((s) => s.data.userId))]);
      const ids: string[] = [];
      for (const s of sockets) {
        const role = roles.get(s.data.userId);
        if (can(role, permission)) ids.push(s.id);
        else place(s, role);
      }
      return ids;
    },

    /** Moves every socket of `userId`, on every instance, to the rooms of its current role. */
    async resync(userId: number): Promise<void> {
      const sockets = await socketsIn(io, userRoom(userId));
      if (sockets.length === 0) return;
      const role = (await currentRoles([userId])).get(userId);
      for (const s of sockets) place(s, role);
    },
  };
}
