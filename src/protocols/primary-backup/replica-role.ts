/**
 * A primary/backup node's role and commit point, as an embedding protocol reads them after
 * every step of a group it hosts (the cluster marks who leads each shard, and when a new
 * configuration first serves): two fields, without building `describeState`'s whole summary
 * once per event.
 */
import type { PbState } from './pb-state.js';

/** Whether the node leads its group. */
export const isPrimary = (state: unknown): boolean => (state as PbState).role.kind === 'primary';

/** The highest log index the node knows committed. */
export const commitIndexOf = (state: unknown): number => (state as PbState).commitIndex;
