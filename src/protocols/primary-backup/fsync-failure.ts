/**
 * What a node does when an fsync fails. The kernel has already dropped the dirty pages the fsync
 * covered, and a second fsync would succeed without writing them (fsyncgate; Rebello et al.,
 * ATC'20), so the only safe move is to write the data again from memory: everything after the
 * last durable WAL record, behind a truncation marker, then fsync again. Syncs still in flight
 * are void too, because the pages they would have covered are gone. A failed meta fsync writes
 * the meta record again, and whatever waited on the failed sync waits on the new one.
 *
 * Leaves out giving up: a node whose fsyncs keep failing rewrites again each time rather than
 * stopping, which keeps the handling to one rule.
 */
import type { DiskCompletion } from '../../core/protocol.js';
import { persistMeta } from './meta.js';
import type { PbConfig } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';
import { persistLog, type WalRecord } from './wal.js';

export function onFsyncFailed(
  cfg: PbConfig,
  s: PbState,
  done: DiskCompletion,
  fx: PbEffect[],
): void {
  fx.push({ type: 'mark', name: 'pb.fsync-failed' });
  if (done.file === 'wal') rewriteWal(cfg, s, done.tag, fx);
  else rewriteMeta(s, done.tag, fx);
}

function rewriteWal(cfg: PbConfig, s: PbState, failedTag: number, fx: PbEffect[]): void {
  if (cfg.bugs.retryFsync) {
    // The bug: retry the fsync and trust its success.
    if (s.wal.owns(failedTag)) s.wal.trustRetry(failedTag, s.nextTag++, fx);
    return;
  }
  s.wal.synced(failedTag, false);
  s.wal.rewindToDurable();
  const records: WalRecord[] = [{ t: 'trunc', from: s.durableIndex + 1 }];
  for (const e of s.log.slice(s.durableIndex)) records.push({ t: 'e', e });
  persistLog(s, records, fx);
}

/** Writes the meta record again; a vote or a candidacy waiting on the failed sync moves over. */
function rewriteMeta(s: PbState, failedTag: number, fx: PbEffect[]): void {
  const tag = persistMeta(s, fx);
  const vote = s.voteReplies.get(failedTag);
  if (vote !== undefined) {
    s.voteReplies.delete(failedTag);
    s.voteReplies.set(tag, vote);
  }
  if (s.candidacyTag === failedTag) s.candidacyTag = tag;
}
