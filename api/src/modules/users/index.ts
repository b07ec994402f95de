/** What other modules may use of users (the rest is its own). */
export { toUserView, userView } from './users.schemas';
