/**
 * Catching a node's files up from another's, by the entries it lacks: the position of the last
 * entry a node's files recover to, the WAL records after a given entry in another node's files
 * (when their log holds that entry: by log matching, a log holding the same index and epoch
 * holds the same prefix, so everything before it is already there), and a WAL extended by
 * such records, chained on from its last valid record. An embedding protocol uses them to
 * bring a hot standby's own files up to a voter's before it counts as one (the cluster's
 * active-backup), moving only the lag.
 *
 * Pure functions of file contents, like checkpoint-shipment.ts.
 */
import { decodeRecords, encodeRecords } from '../shared/record-log.js';
import { newestCheckpoint, standIns } from './checkpoint.js';
import type { NodeFile } from './checkpoint-shipment.js';
import type { Entry } from './messages.js';
import { replayWal, type WalRecord } from './wal.js';

export interface LogPosition {
  readonly index: number;
  readonly epoch: number;
}

/** The log the files recover to: the newest checkpoint's stand-ins, then the WAL after it. */
function recoveredLog(files: readonly NodeFile[]): Entry[] {
  const byName = new Map(files.map((f) => [f.name, f.data]));
  const c = newestCheckpoint((f) => byName.get(f));
  const log = c === undefined ? [] : standIns(c);
  const wal = byName.get('wal');
  if (wal !== undefined) replayWal(log, decodeRecords<WalRecord>(wal).records, c?.index ?? 0);
  return log;
}

/** The last entry of the log `files` recover to (index 0, epoch 0 when empty). */
export function lastLogPosition(files: readonly NodeFile[]): LogPosition {
  const log = recoveredLog(files);
  const last = log[log.length - 1];
  return last === undefined ? { index: 0, epoch: 0 } : { index: last.index, epoch: last.epoch };
}

/** The WAL records of the entries after `after`, if the files' log holds it. */
export function walSuffix(files: readonly NodeFile[], after: LogPosition): Uint8Array | undefined {
  const log = recoveredLog(files);
  if (after.index > log.length) return undefined;
  if (after.index > 0 && log[after.index - 1]?.epoch !== after.epoch) return undefined;
  const records: WalRecord[] = log.slice(after.index).map((e) => ({ t: 'e', e }));
  return encodeRecords(records, 0).data;
}

/** `files` with the records of `suffix` (from walSuffix) appended to its WAL's valid prefix. */
export function extendWal(files: readonly NodeFile[], suffix: Uint8Array): NodeFile[] {
  const records = decodeRecords<WalRecord>(suffix).records;
  return files.map((f) => {
    if (f.name !== 'wal') return f;
    const own = decodeRecords<WalRecord>(f.data);
    const tail = encodeRecords(records, own.lastCrc).data;
    const data = new Uint8Array(own.validBytes + tail.length);
    data.set(f.data.subarray(0, own.validBytes), 0);
    data.set(tail, own.validBytes);
    return { name: 'wal', data };
  });
}
