/** What other modules may use of users (the rest is its own). */
import type { UsersRepository } from './users.repository';

export { toUserView, userView } from './users.schemas';
export type { Gender, User } from './users.repository';
/** A `users` row as a User: for staff, whose accounts are users rows listed with their roles in one query. */
export { mapUser } from './users.repository';
export { avatarSourceOf, avatarUrl, avatarUrls, NO_AVATAR, type AvatarSource } from './avatars';

/** A user by id, for modules that need a user's fields (e.g. the payer's openid). */
export type UserReader = Pick<UsersRepository, 'findById'>;

/** What sign-in (auth) does with accounts: find, create, fill in and update them. */
export type AccountUsers = Pick<
  UsersRepository,
  'findById' | 'findByOpenid' | 'findByPhone' | 'findForSession' | 'insert' | 'update' | 'fillBlankProfile'
>;
