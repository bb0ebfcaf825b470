/**
 * Joining a delta into a replica without churning identity: the join replaces the state only when
 * it differs, so "the replica changed" is a reference comparison for the cluster observer, which
 * times convergence by the last step that really changed a replica.
 */
import type { CrdtConfig } from './crdt-config.js';

export function joinIfChanged(cfg: CrdtConfig, state: unknown, delta: unknown): unknown {
  const joined = cfg.type.merge(state, delta);
  return joined === state || cfg.type.equals(joined, state) ? state : joined;
}
