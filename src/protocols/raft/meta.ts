/**
 * Term and vote on disk, and the outbox that holds messages until they are durable (Figure 2:
 * persistent state is "updated on stable storage before responding to RPCs").
 *
 * The `meta` file has two fixed slots written alternately, each one checksummed record with a
 * sequence number, so a torn overwrite leaves the other slot whole and recovery takes the valid
 * one with the higher seq. Each change is written and fsynced at once; until the newest fsync
 * completes, sends wait in the outbox, so nothing the node says in a term leaves before that
 * term and the vote in it are durable. A failed fsync writes the slot again: its pages may be
 * gone (fsyncgate). Left out: coalescing meta changes across steps into one fsync.
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, DiskReader } from '../../core/protocol.js';
import { decodeMeta, encodeMetaSlot, META_SLOT_BYTES } from '../shared/record-log.js';
import type { RaftEffect, RaftMessage } from './messages.js';
import type { RaftState } from './raft-state.js';

interface Meta {
  readonly seq: number;
  readonly term: number;
  readonly votedFor: NodeId | null;
}

/** Writes term and vote to the next slot and fsyncs it. */
export function persistMeta(s: RaftState, fx: RaftEffect[]): void {
  s.metaSeq++;
  const meta: Meta = { seq: s.metaSeq, term: s.term, votedFor: s.votedFor };
  const tag = s.nextTag++;
  fx.push({
    type: 'diskWrite',
    file: 'meta',
    offset: (s.metaSeq % 2) * META_SLOT_BYTES,
    data: encodeMetaSlot(meta),
    tag,
    quiet: true,
  });
  fx.push({ type: 'diskSync', file: 'meta', tag });
  s.metaSyncs.set(tag, s.metaSeq);
}

/** Sends now, or once term and vote are durable if they are not yet. */
export function send(s: RaftState, to: NodeId, msg: RaftMessage, fx: RaftEffect[]): void {
  if (s.metaDurableSeq < s.metaSeq) s.outbox.push({ to, msg });
  else fx.push({ type: 'send', to, msg });
}

/**
 * Handles the completion of a meta fsync (false when `done` is not one): once the newest write
 * is durable the outbox goes out, in the order it was filled; a failure writes the slot again.
 */
export function onMetaSynced(s: RaftState, done: DiskCompletion, fx: RaftEffect[]): boolean {
  const metaSeq = s.metaSyncs.get(done.tag);
  if (metaSeq === undefined) return false;
  s.metaSyncs.delete(done.tag);
  if (!done.ok) {
    fx.push({ type: 'mark', name: 'raft.fsync-failed' });
    persistMeta(s, fx);
  } else if (metaSeq > s.metaDurableSeq) {
    s.metaDurableSeq = metaSeq;
    if (s.metaDurableSeq === s.metaSeq) {
      for (const o of s.outbox) fx.push({ type: 'send', to: o.to, msg: o.msg });
      s.outbox = [];
    }
  }
  return true;
}

/** Restores term and vote from the valid slot with the higher seq (none: term 0, no vote). */
export function recoverMeta(s: RaftState, disk: DiskReader): void {
  const read = disk.read('meta');
  const meta = read.ok ? decodeMeta<Meta>(read.data) : undefined;
  if (meta === undefined) return;
  s.term = meta.term;
  s.votedFor = meta.votedFor;
  s.metaSeq = s.metaDurableSeq = meta.seq;
}
