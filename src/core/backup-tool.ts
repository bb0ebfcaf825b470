/**
 * What a protocol with a storage engine offers an operator: backups to a disk outside the node
 * and a restore from them onto a node's blank disk (RocksDB's BackupEngine, Postgres' base
 * backups with WAL archiving). The scenario's `backup:`, `disaster:` and `restore:` entries
 * (faults/backup.ts) call it; the protocol says what a backup holds and how a restore is built.
 *
 * The tool runs beside the node, as RocksDB's BackupEngine runs beside the database: it reads
 * the node's disk and state and writes the target at the instant of the event, not as effects
 * in simulated time. A restore says which acknowledged writes it vouches for by time
 * (`pointUs`): the checkers hold it to that, and count what was acknowledged after it as the
 * recovery point objective the restore cost.
 */
import type { DiskReader } from './disk-reader.js';
import type { Micros } from './time.js';

/** A disk a backup is written to or a restore onto: a simulated disk's calls. */
interface BackupDisk extends DiskReader {
  write(file: string, offset: number, data: Uint8Array): { readonly ok: boolean };
  sync(file: string): { readonly ok: boolean };
  rename(from: string, to: string): { readonly ok: boolean };
  syncDir(): { readonly ok: boolean };
}

/** Where a restore stops: the latest backup, a sequence number, or a virtual time. */
export type RestorePoint =
  | { readonly kind: 'latest' }
  | { readonly kind: 'seq'; readonly seq: number }
  | { readonly kind: 'time'; readonly atUs: Micros };

type BackupOutcome =
  | {
      readonly kind: 'backup';
      readonly id: number;
      /** Every write up to this sequence number is in the backup. */
      readonly seq: number;
      /** The first backup on the target copies everything; later ones what changed. */
      readonly full: boolean;
      readonly filesCopied: number;
      readonly bytesCopied: number;
      /** What a full backup would have copied now: the incremental one's saving. */
      readonly checkpointBytes: number;
    }
  | { readonly kind: 'error'; readonly reason: string };

type RestoreOutcome =
  | {
      readonly kind: 'restored';
      /** The sequence number the restored state ends at. */
      readonly seq: number;
      readonly fromBackup: number;
      /**
       * Every write acknowledged at or before this time is in the restored state (the time of the
       * latest backup whose sequence number the state reaches); later ones may not be.
       */
      readonly pointUs: Micros;
      readonly bytesCopied: number;
    }
  | { readonly kind: 'error'; readonly reason: string };

/** The marks a backup and a restore leave on the node, with the bytes copied (run metrics). */
export const BACKUP_MARKS = {
  fullBytes: 'backup.full-bytes',
  incrementalBytes: 'backup.incremental-bytes',
  checkpointBytes: 'backup.checkpoint-bytes',
  restoreBytes: 'restore.bytes',
} as const;

export interface BackupTool<S> {
  /** Backs up the node (its state `s` and disk) onto `target`, at virtual time `nowUs`. */
  backup(s: S, disk: DiskReader, target: BackupDisk, nowUs: Micros): BackupOutcome;
  /** Builds the state at `point` from the backups on `target` onto the blank disk `dest`. */
  restore(target: DiskReader, dest: BackupDisk, point: RestorePoint): RestoreOutcome;
}
