/**
 * What a node's files become when a new member is to start from them by checkpoint: the `meta`
 * file as it is, the newest valid checkpoint (checkpoint.ts), and a WAL of only the entries
 * after it, encoded afresh. The new member's recovery then reads the checkpoint, puts stand-ins
 * below it, and replays the shorter WAL: it recovers the same log positions, epochs and kv store
 * as a copy of every file would, in fewer bytes once the log is longer than the state.
 *
 * A pure function of file contents, exported from the protocol's entry, so an embedding
 * protocol (the cluster's `checkpoint-restore` recovery) ships the files without knowing their
 * formats. Files it does not know (none today) travel unchanged.
 */
import { decodeRecords, encodeRecords } from '../shared/record-log.js';
import {
  CHECKPOINT_FILES,
  type CheckpointRecord,
  newestCheckpoint,
  standIns,
} from './checkpoint.js';
import { replayWal, type WalRecord } from './wal.js';

export interface NodeFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** The files to ship in place of `files`, and the checkpoint they start from; or undefined. */
export function checkpointShipment(
  files: readonly NodeFile[],
): { readonly files: NodeFile[]; readonly checkpointIndex: number } | undefined {
  const byName = new Map(files.map((f) => [f.name, f.data]));
  const checkpoint = newestCheckpoint((f) => byName.get(f));
  const wal = byName.get('wal');
  if (checkpoint === undefined || wal === undefined) return undefined;
  const out: NodeFile[] = [];
  for (const f of files) {
    if (f.name === 'wal') out.push({ name: 'wal', data: walAfter(checkpoint, wal) });
    else if (!(CHECKPOINT_FILES as readonly string[]).includes(f.name)) out.push(f);
  }
  const { data } = encodeRecords([checkpoint], 0);
  out.push({ name: CHECKPOINT_FILES[checkpoint.seq % 2] as string, data });
  return { files: out, checkpointIndex: checkpoint.index };
}

/** The log the WAL recovers to on top of the checkpoint, past it only, as a fresh WAL. */
function walAfter(checkpoint: CheckpointRecord, wal: Uint8Array): Uint8Array {
  const log = standIns(checkpoint);
  replayWal(log, decodeRecords<WalRecord>(wal).records, checkpoint.index);
  const records: WalRecord[] = log.slice(checkpoint.index).map((e) => ({ t: 'e', e }));
  return encodeRecords(records, 0).data;
}
