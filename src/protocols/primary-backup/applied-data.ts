/**
 * The data a primary/backup node has applied, as an embedding protocol reads it to judge a
 * group's size (the cluster's ranges that split as they grow): every key and value of its kv
 * store, sorted by key. Only the in-memory store is read: under `storage: lsm` the data lives
 * in the engine, and this answers undefined rather than scan the disk.
 */
import type { PbState } from './pb-state.js';

/** The applied keys and values of a node's state (undefined under `storage: lsm`). */
export function appliedData(state: unknown): readonly (readonly [string, string])[] | undefined {
  const s = state as PbState;
  return s.store === undefined ? s.kv.dump() : undefined;
}
