/**
 * The acceptor's durable state on disk: the `wal` file of chained, checksummed records
 * (shared/record-log.ts) written through the shared WalWriter. A record is a promise `['p',
 * ballot]`, an acceptance `['a', slot, ballot, command]`, a reservation of ballot rounds `['b',
 * round]` (paxos/ballot.ts), or, at the head of a rewritten file, the snapshot it starts from
 * `['s', snapshot]`. On replay the highest promise and the last acceptance of a slot win.
 *
 * A step changes the acceptor in memory and queues its records and its replies; `flushWal`
 * writes the records at the step's end in one write and one fsync, and the replies leave only
 * once that fsync completes (Paxos Made Simple §2.4; Paxos Made Live §5: an acceptor that forgot
 * "may renege on promises").
 *
 * Torn tails: immune without the fence (WalWriter.resume) the other logs use: a record revived
 * behind a rewritten one is one the acceptor lost before answering, and every reply it sends
 * since is preceded by a record written right there, which overwrites the old tail.
 *
 * The file is rewritten whole (`startCompaction`) when the learner takes a snapshot (Paxos Made
 * Live §5.5), when it installs one, and after a failed fsync (the kernel dropped the dirty pages:
 * fsyncgate; Rebello et al., ATC'20): `wal.next` gets the snapshot, the promise, the round
 * reservation and every acceptance after the snapshot, is fsynced, renamed over `wal`, and the
 * directory fsynced. Until then the old `wal` is the durable image. The rewrite covers everything
 * in memory when it starts, so every reply held back then waits for it instead.
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion } from '../../core/protocol.js';
import { ROUNDS_RESERVED } from '../paxos/index.js';
import { encodeRecords } from '../shared/record-log.js';
import type { MultiPaxosEffect, MultiPaxosMessage } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import { emptyHeld, type Held, type MultiPaxosState, type WalRecord } from './multi-paxos-state.js';

/** The tag of first boot's WAL creation and directory fsync (tags count up from 1). */
export const INIT_TAG = 0;
/** The tag of a disk operation whose completion nothing waits for. */
export const IGNORED_TAG = -1;

/** An acceptor's change and its reply: the reply leaves once the change is durable. */
export function replyDurably(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  record: WalRecord | undefined,
  to: NodeId,
  msg: MultiPaxosMessage,
  fx: MultiPaxosEffect[],
): void {
  if (record !== undefined) s.outRecords.push(record);
  // The bug: the reply leaves now, and a crash before the fsync takes back what it said.
  if (cfg.bugs.replyBeforeDurable) fx.push({ type: 'send', to, msg });
  else s.out.sends.push({ to, msg });
}

/** Reserves a block of rounds when the proposer used one beyond the reservation. */
function reserveRounds(s: MultiPaxosState): boolean {
  if (s.round <= s.roundWritten) return false;
  s.roundWritten = s.round + ROUNDS_RESERVED;
  return true;
}

/**
 * Writes what this step changed in one write and one fsync; its replies wait for the fsync. A
 * reply with nothing new to write still waits for a sync: what it vouches for may be in a write
 * whose fsync is still in flight (a duplicated Prepare, answered again).
 */
export function flushWal(s: MultiPaxosState, fx: MultiPaxosEffect[]): void {
  if (!s.ready || s.compaction !== undefined) return;
  const newRound = reserveRounds(s);
  if (s.outRecords.length === 0 && !newRound && s.out.sends.length === 0) return;
  const records = s.outRecords;
  if (newRound) {
    records.push(['b', s.roundWritten]);
    s.out.round = s.roundWritten;
  }
  const tag = s.nextTag++;
  s.wal.write(records, tag, tag, fx);
  s.held.set(tag, s.out);
  s.outRecords = [];
  s.out = emptyHeld();
}

/**
 * A WAL fsync completed: returns what it held back, now durable, or undefined. A failed one
 * rewrites the whole state, and everything held back waits for the rewrite.
 */
export function onWalSynced(
  s: MultiPaxosState,
  done: DiskCompletion,
  fx: MultiPaxosEffect[],
): Held | undefined {
  const r = s.wal.synced(done.tag, done.ok);
  const held = s.held.get(done.tag);
  s.held.delete(done.tag);
  if (r.kind === 'durable') return held;
  if (r.kind === 'failed') {
    fx.push({ type: 'mark', name: 'multi-paxos.fsync-failed' });
    if (held !== undefined) s.held.set(done.tag, held);
    startCompaction(s, fx);
  }
  return undefined;
}

/** Rewrites the whole acceptor state as `wal.next`; every held reply waits for it. */
export function startCompaction(s: MultiPaxosState, fx: MultiPaxosEffect[]): void {
  const held = s.compaction?.held ?? emptyHeld();
  for (const h of s.held.values()) held.sends.push(...h.sends);
  held.sends.push(...s.out.sends);
  s.held.clear();
  s.outRecords = [];
  s.out = emptyHeld();
  reserveRounds(s);
  held.round = s.roundWritten;
  const records: WalRecord[] = [];
  if (s.snapshot !== undefined) records.push(['s', s.snapshot]);
  records.push(['p', s.promised], ['b', s.roundWritten]);
  for (const slot of [...s.accepted.keys()].sort((a, b) => a - b)) {
    const a = s.accepted.get(slot);
    if (a !== undefined) records.push(['a', slot, a.ballot, a.command]);
  }
  const { data, crc } = encodeRecords(records, 0);
  const syncTag = s.nextTag++;
  s.wal.voidPending();
  s.compaction = {
    syncTag,
    dirTag: undefined,
    endBytes: data.length,
    endCrc: crc,
    held,
    snapshot: s.snapshot,
  };
  fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
  fx.push({ type: 'diskWrite', file: 'wal.next', offset: 0, data, tag: syncTag, quiet: true });
  fx.push({ type: 'diskSync', file: 'wal.next', tag: syncTag });
}

/** Whether `done` is one of the rewrite in progress's own disk operations. */
export function isCompactionDisk(s: MultiPaxosState, done: DiskCompletion): boolean {
  const c = s.compaction;
  return c !== undefined && (done.tag === c.syncTag || done.tag === c.dirTag);
}

/**
 * Moves the rewrite on: after the new file's fsync, rename it over `wal` and fsync the directory;
 * after a failure, write it again. Returns what it held once the directory fsync completed.
 */
export function onCompactionDisk(
  s: MultiPaxosState,
  done: DiskCompletion,
  fx: MultiPaxosEffect[],
): Held | undefined {
  const c = s.compaction;
  if (c === undefined) return undefined;
  if (!done.ok) {
    fx.push({ type: 'mark', name: 'multi-paxos.fsync-failed' });
    startCompaction(s, fx);
    return undefined;
  }
  if (done.tag === c.syncTag && done.op === 'sync') {
    c.dirTag = s.nextTag++;
    fx.push({ type: 'diskRename', from: 'wal.next', to: 'wal', tag: IGNORED_TAG });
    fx.push({ type: 'diskSyncDir', tag: c.dirTag });
    return undefined;
  }
  if (done.tag !== c.dirTag || done.op !== 'syncDir') return undefined;
  s.compaction = undefined;
  s.wal.reset(c.endBytes, c.endCrc);
  if (c.snapshot !== undefined) fx.push({ type: 'mark', name: 'multi-paxos.snapshot-durable' });
  return c.held;
}
