/**
 * The `meta` file: the epoch and this node's vote in it, which must survive a crash, or a node
 * that forgot its vote could vote twice in one epoch. Two fixed-size slots written in turn, each
 * with a sequence number and a checksum (record-log.ts), so a torn overwrite leaves the other
 * slot intact and recovery takes the newest valid one.
 *
 * Leaves out what a write is for: callers keep the returned sync tag (failover.ts sends a vote
 * or a RequestVote once it completes; fsync-failure.ts rewrites after a failed one).
 */
import type { NodeContext } from '../../core/protocol.js';
import type { NodeId } from '../../core/ids.js';
import { decodeMeta, encodeMetaSlot, META_SLOT_BYTES, parseShared } from '../shared/record-log.js';
import type { PbEffect, PbState } from './pb-state.js';

interface Meta {
  readonly seq: number;
  readonly epoch: number;
  readonly votedFor: NodeId | null;
}

/** Writes epoch and vote to the next meta slot and syncs it; returns the sync's tag. */
export function persistMeta(s: PbState, fx: PbEffect[]): number {
  s.metaSeq++;
  const meta: Meta = { seq: s.metaSeq, epoch: s.epoch, votedFor: s.votedFor };
  const tag = s.nextTag++;
  fx.push({
    type: 'diskWrite',
    file: 'meta',
    offset: (s.metaSeq % 2) * META_SLOT_BYTES,
    data: encodeMetaSlot(meta),
    tag,
  });
  fx.push({ type: 'diskSync', file: 'meta', tag });
  return tag;
}

/** Recovery: takes the epoch and vote from the newest valid slot, if any survived. */
export function readMeta(s: PbState, ctx: NodeContext): void {
  const read = ctx.disk.read('meta');
  const meta = read.ok ? decodeMeta<Meta>(read.data, parseShared) : undefined;
  if (meta === undefined) return;
  s.epoch = meta.epoch;
  s.votedFor = meta.votedFor;
  s.metaSeq = meta.seq;
}
