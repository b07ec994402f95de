import { computed, reactive } from 'vue';
import { ROLE_PERMISSIONS, type Permission } from '@shared/permissions';
import type { StaffRole, StaffUser } from './api/types';

const KEY = 'repair-admin-session';

interface Stored {
  token: string;
  refreshToken: string;
  user: StaffUser;
}

function load(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

/** The signed-in staff member. Permissions come from the API's own role table, never from the token. */
export const session = reactive<{ current: Stored | null }>({ current: load() });

export function saveSession(s: Stored): void {
  session.current = s;
  localStorage.setItem(KEY, JSON.stringify(s));
}

export function updateTokens(token: string, refreshToken: string): void {
  if (!session.current) return;
  saveSession({ ...session.current, token, refreshToken });
}

export function updateUser(user: StaffUser): void {
  if (session.current) saveSession({ ...session.current, user });
}

export function clearSession(): void {
  session.current = null;
  localStorage.removeItem(KEY);
}

export const staffRole = computed<StaffRole | null>(() => session.current?.user.staffRole ?? null);

/** Whether the signed-in role grants a permission; buttons a role may not use are not shown. */
export function can(permission: Permission): boolean {
  const role = staffRole.value;
  return role !== null && ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_LABELS: Record<StaffRole, string> = {
  admin: '管理员',
  ops_manager: '运营经理',
  agent: '客服',
  finance: '财务',
  inventory: '库管',
};
