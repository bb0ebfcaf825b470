/**
 * Commitment: when an entry counts as committed, and what follows from it. A `sync` primary
 * commits an entry once it is durable on itself and on every backup (hot standbys aside:
 * they are sent every entry and never waited for); an `async` primary once it
 * is durable on its own disk. Committed entries are applied to the kv store in log order, and a
 * primary answers the client waiting for each.
 *
 * Leaves out how backups learn the commit point: they take it from `Replicate` (backup.ts).
 */
import { KvStore } from '../shared/kv-store.js';
import { applyEntry, emptyStore } from './lsm-storage.js';
import type { Entry } from './messages.js';
import type { PbConfig } from './pb-config.js';
import { epochAt, type PbEffect, type PbState } from './pb-state.js';

/**
 * The primary's commit rule. In `sync` mode only an entry of the primary's own epoch is
 * committed by counting replicas (Raft §5.4.2); earlier entries commit with it.
 */
export function advanceCommit(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  if (s.role.kind !== 'primary') return;
  let target = cfg.bugs.ackBeforeFsync ? s.log.length : s.durableIndex;
  if (cfg.mode === 'sync') {
    // The bug: commit, and answer the client, before any backup has acknowledged the entry.
    if (!cfg.bugs.ackBeforeBackups)
      for (const p of s.peers)
        if (!cfg.standbys.has(p)) target = Math.min(target, s.role.matchIndex.get(p) ?? 0);
    while (target > s.commitIndex && epochAt(s, target) !== s.epoch) target--;
  }
  if (target > s.commitIndex) {
    s.commitIndex = target;
    applyCommitted(s, fx);
  }
}

/** Applies entries up to `commitIndex`; a primary replies to the client waiting for each. */
export function applyCommitted(s: PbState, fx: PbEffect[]): void {
  while (s.applied < s.commitIndex) {
    const e = s.log[s.applied] as Entry;
    s.applied++;
    const out = applyEntry(s, e, fx);
    if (s.role.kind === 'primary') {
      const requestId = s.role.waiting.get(e.index);
      if (requestId !== undefined) {
        s.role.waiting.delete(e.index);
        fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: out } });
      }
    }
  }
}

/** Rebuilds the state machine from the log prefix that survives a truncation at `keep`. */
export function rollBack(s: PbState, keep: number, fx: PbEffect[]): void {
  s.kv = new KvStore();
  s.applied = 0;
  s.commitIndex = Math.min(s.commitIndex, keep);
  emptyStore(s, fx);
  for (let i = 0; i < s.commitIndex; i++) applyEntry(s, s.log[i] as Entry, fx);
  s.applied = s.commitIndex;
}
