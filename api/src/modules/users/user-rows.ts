import type { Role, StaffRole } from '../../shared/auth';
import { toDate } from '../../shared/rows';
import { avatarSourceOf, type AvatarSource } from './avatars';

/*
 * The users table's rows as the module sees them (camelCase), and their mapping to and from
 * columns: shared by the repository files (users.repository.ts, user-directory.repository.ts).
 */

export type Gender = 'male' | 'female' | 'unknown';
/** `deleted`: the account was deleted by its owner (注销); its row stays, anonymised, for the books. */
export type UserStatus = 'active' | 'inactive' | 'banned' | 'deleted';

export interface User {
  id: number;
  openid: string;
  unionid: string | null;
  phone: string | null;
  name: string | null;
  nickname: string | null;
  /** A plain http(s) URL; null when the avatar is an upload or there is none. */
  avatar: string | null;
  /** The user's own `avatar` upload, attached to them; its URL is signed when read. */
  avatarUploadId: number | null;
  gender: Gender;
  userType: Role;
  staffRole: StaffRole | null;
  status: UserStatus;
  address: string | null;
  city: string | null;
  province: string | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type UserPatch = Partial<
  Pick<
    User,
    | 'name'
    | 'nickname'
    | 'avatar'
    | 'avatarUploadId'
    | 'gender'
    | 'address'
    | 'city'
    | 'province'
    | 'phone'
    | 'unionid'
    | 'userType'
    | 'staffRole'
    | 'status'
    | 'lastLoginAt'
  >
>;

const COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name',
  nickname: 'nickname',
  avatar: 'avatar',
  avatarUploadId: 'avatar_upload_id',
  gender: 'gender',
  address: 'address',
  city: 'city',
  province: 'province',
  phone: 'phone',
  unionid: 'unionid',
  userType: 'user_type',
  staffRole: 'staff_role',
  status: 'status',
  lastLoginAt: 'last_login_at',
};

type Row = Record<string, unknown>;

export function mapUser(r: Row): User {
  return {
    id: Number(r.id),
    openid: String(r.openid),
    unionid: (r.unionid as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    nickname: (r.nickname as string | null) ?? null,
    avatar: (r.avatar as string | null) ?? null,
    avatarUploadId: r.avatar_upload_id === null || r.avatar_upload_id === undefined ? null : Number(r.avatar_upload_id),
    gender: r.gender as Gender,
    userType: r.user_type as Role,
    staffRole: (r.staff_role as StaffRole | null) ?? null,
    status: r.status as UserStatus,
    address: (r.address as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    province: (r.province as string | null) ?? null,
    lastLoginAt: toDate(r.last_login_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export function toColumns(patch: UserPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[COLUMNS[key as keyof UserPatch]] = value;
  }
  return row;
}

export interface NewUser {
  openid: string;
  unionid?: string | null;
  nickname?: string | null;
  avatar?: string | null;
  gender?: Gender;
  userType?: Role;
  staffRole?: StaffRole | null;
  phone?: string | null;
  name?: string | null;
  city?: string | null;
  province?: string | null;
}

/**
 * What other modules show of an account next to their own rows (an electrician's card, a reviewer,
 * an audit log's actor): names, phone and avatar, and the openid and username staff lists fall back on.
 */
export interface UserProfile extends AvatarSource {
  id: number;
  nickname: string | null;
  name: string | null;
  phone: string | null;
  openid: string;
  username: string | null;
}

/** The profile fields another module may search by keyword (staff searches), through `idsContaining`. */
export type ProfileField = 'nickname' | 'name' | 'phone' | 'openid' | 'username';

export const PROFILE_COLUMNS = ['id', 'nickname', 'name', 'phone', 'openid', 'username', 'avatar', 'avatar_upload_id'];

/** What `withAccount` selects of an account, under names no other table's columns take. */
export const ACCOUNT_COLUMNS = {
  account_phone: 'account.phone',
  account_avatar: 'account.avatar',
  account_avatar_upload_id: 'account.avatar_upload_id',
};

/** The account a row was read with (`withAccount`): its phone and avatar. */
export function accountOf(r: Row): Pick<UserProfile, 'phone' | 'avatar' | 'avatarUploadId'> {
  return {
    phone: (r.account_phone as string | null) ?? null,
    ...avatarSourceOf(r, 'account_avatar', 'account_avatar_upload_id'),
  };
}

export function mapProfile(r: Row): UserProfile {
  return {
    id: Number(r.id),
    nickname: (r.nickname as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    openid: String(r.openid),
    username: (r.username as string | null) ?? null,
    ...avatarSourceOf(r),
  };
}

/** A staff account: a users row with its web-login columns (only the staff module reads the password hash). */
export interface StaffUser extends User {
  username: string | null;
  passwordHash: string | null;
}

export const mapStaffUser = (r: Row): StaffUser => ({
  ...mapUser(r),
  username: (r.username as string | null) ?? null,
  passwordHash: (r.password_hash as string | null) ?? null,
});

/** What staff may change of a staff account. */
export interface StaffUserPatch {
  staffRole?: StaffRole;
  passwordHash?: string;
  status?: 'active' | 'banned';
  name?: string;
}
