/** What other modules may use of electricians (the rest is its own). */
export type { Electrician } from './electricians.repository';
