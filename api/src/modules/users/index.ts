/** What other modules may use of users (the rest is its own). */
import type { UsersRepository } from './users.repository';

export { toUserView, userView } from './users.schemas';
export type { Gender, ProfileField, StaffUser, StaffUserPatch, User, UserProfile } from './users.repository';
export { avatarSourceOf, avatarUrl, avatarUrls, NO_AVATAR, type AvatarSource } from './avatars';
export { accountOf } from './user-rows';

/** A user by id, for modules that need a user's fields (e.g. the payer's openid). */
export type UserReader = Pick<UsersRepository, 'findById'>;

/** What sign-in (auth) does with accounts: find, create, fill in and update them. */
export type AccountUsers = Pick<
  UsersRepository,
  'findById' | 'findByOpenid' | 'findByPhone' | 'findForSession' | 'insert' | 'update' | 'fillBlankProfile'
>;

/**
 * Other modules' rows shown with their accounts: profiles by id (batched), the account joined to a
 * query (`withAccount`, read with `accountOf`) and the keyword-search subquery.
 */
export type UserProfiles = Pick<UsersRepository, 'profiles' | 'withAccount' | 'idsContaining'>;

/** Active staff by role (the recipients of staff notifications), and the current role of given staff (the staff push rooms). */
export type StaffDirectory = Pick<UsersRepository, 'staffIdsWithRole' | 'activeStaffRoles'>;

/** An approved application makes its account an electrician's, in the decision's transaction. */
export type ElectricianAccounts = Pick<UsersRepository, 'findById' | 'promoteToElectrician'>;

/**
 * Staff accounts are users rows: the staff module finds, creates, changes, lists and counts them
 * through this port, and names the actors of its audit log by their profiles.
 */
export type StaffAccounts = Pick<
  UsersRepository,
  'findStaffUser' | 'insertStaffUser' | 'updateStaffUser' | 'listStaffUsers' | 'countActiveAdmins' | 'update' | 'profiles'
>;

/** Locks a live account's row inside the caller's transaction (false once it is deleted). */
export type AccountLocks = Pick<UsersRepository, 'lockLive'>;

export type { AccountDeletion } from './users.module';

/** Everything other modules may use of accounts, as one handle (the container passes narrower views of it). */
export type UsersPorts = UserReader &
  AccountUsers &
  UserProfiles &
  StaffDirectory &
  ElectricianAccounts &
  StaffAccounts &
  AccountLocks;
