/**
 * Checkpoints (`checkpointEvery` above 0): every `checkpointEvery` applied entries a node writes
 * a consistent snapshot of its kv store at its applied index, with the epoch of every index up
 * to it (as runs: `[epoch, first index]`), to one of two files, `ckpt.0` and `ckpt.1`, written
 * in turn and each one checksummed record, then fsyncs it. A new checkpoint is written only
 * once the previous one's fsync succeeded, and always into the other file, so a torn or lost
 * write leaves the newest durable checkpoint intact (the meta file's two slots, for a snapshot).
 *
 * Recovery starts from the newest valid checkpoint: the kv store is loaded, applied and
 * commitIndex start at its index, and the log's prefix up to it holds stand-ins that carry only
 * each index's epoch (what log matching compares); the WAL's records after it are replayed as
 * before, and no truncation record cuts into the checkpoint (what it holds was committed). So a
 * node can start from a checkpoint plus the log after it, without the log before it: what the
 * cluster's `checkpoint-restore` recovery ships (checkpoint-shipment.ts).
 *
 * Why stand-ins are safe in `sync` mode only: an entry is committed once it is durable on every
 * member, so no member ever needs an entry at or below a checkpoint from another (a stand-in is
 * never shipped for real), and committed entries are never rolled back. The options refuse
 * checkpoints with `async` mode and with `storage: lsm` (whose engine is its own checkpoint).
 *
 * Leaves out compaction: the WAL keeps every record, a checkpoint only shortens what a new
 * member must be sent.
 */
import type { DiskCompletion, NodeContext } from '../../core/protocol.js';
import { decodeRecords, encodeRecords } from '../shared/record-log.js';
import { KvStore } from '../shared/kv-store.js';
import type { Entry } from './messages.js';
import type { PbConfig } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';

/** A checkpoint as its file holds it. */
export interface CheckpointRecord {
  readonly seq: number;
  /** The last log index the snapshot includes. */
  readonly index: number;
  /** Each epoch's first index up to `index`, in order: `[epoch, first index]`. */
  readonly epochs: readonly (readonly [number, number])[];
  readonly kv: readonly (readonly [string, string])[];
}

export const CHECKPOINT_FILES = ['ckpt.0', 'ckpt.1'] as const;

const slotFile = (seq: number): string => CHECKPOINT_FILES[seq % 2] as string;

/** Writes a checkpoint when `checkpointEvery` entries were applied since the newest one. */
export function maybeCheckpoint(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  const c = s.checkpoint;
  if (cfg.checkpointEvery === 0 || c.writing !== undefined) return;
  if (s.applied - c.index < cfg.checkpointEvery) return;
  const record: CheckpointRecord = {
    seq: c.seq + 1,
    index: s.applied,
    epochs: epochRuns(s.log, s.applied),
    kv: s.kv.dump(),
  };
  const tag = s.nextTag++;
  const file = slotFile(record.seq);
  const { data } = encodeRecords([record], 0);
  fx.push({ type: 'diskWrite', file, offset: 0, data, tag });
  fx.push({ type: 'diskSync', file, tag });
  c.writing = { seq: record.seq, index: record.index, tag };
}

/** Whether `done` is the checkpoint's; a successful fsync makes it the newest. */
export function onCheckpointDone(s: PbState, done: DiskCompletion, fx: PbEffect[]): boolean {
  const w = s.checkpoint.writing;
  if (w === undefined || done.tag !== w.tag) return false;
  if (done.op !== 'sync') return true;
  s.checkpoint.writing = undefined;
  // A failed fsync: the next checkpoint goes into the same file again, never the other one.
  if (!done.ok) return true;
  s.checkpoint.seq = w.seq;
  s.checkpoint.index = w.index;
  fx.push({ type: 'mark', name: 'pb.checkpoint-taken', value: w.index });
  return true;
}

/** Recovery: starts the log, the store and the commit point from the newest valid checkpoint. */
export function loadCheckpoint(s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  const c = newestCheckpoint((f) => {
    const r = ctx.disk.read(f);
    return r.ok ? r.data : undefined;
  });
  if (c === undefined) return;
  s.log = standIns(c);
  s.kv = KvStore.load(c.kv);
  s.applied = s.commitIndex = c.index;
  s.checkpoint = { seq: c.seq, index: c.index, writing: undefined };
  fx.push({ type: 'mark', name: 'pb.checkpoint-loaded', value: c.index });
}

/** The newest checkpoint whose file holds a valid record, reading files through `read`. */
export function newestCheckpoint(
  read: (file: string) => Uint8Array | undefined,
): CheckpointRecord | undefined {
  let best: CheckpointRecord | undefined;
  for (const f of CHECKPOINT_FILES) {
    const data = read(f);
    if (data === undefined) continue;
    const r = decodeRecords<CheckpointRecord>(data).records[0];
    if (r !== undefined && (best === undefined || r.seq > best.seq)) best = r;
  }
  return best;
}

/** The log up to a checkpoint: one stand-in per index, with that index's epoch. */
export function standIns(c: CheckpointRecord): Entry[] {
  const log: Entry[] = [];
  for (const [i, [epoch, first]] of c.epochs.entries()) {
    const end = c.epochs[i + 1]?.[1] ?? c.index + 1;
    for (let index = first; index < end; index++) log.push({ epoch, index, cmd: { f: 'noop' } });
  }
  return log;
}

/** Each epoch's first index among the log's first `upTo` entries. */
function epochRuns(log: readonly Entry[], upTo: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < upTo; i++) {
    const e = log[i] as Entry;
    if (runs[runs.length - 1]?.[0] !== e.epoch) runs.push([e.epoch, e.index]);
  }
  return runs;
}
