/**
 * The kv-store's named bugs: the storage engine's mutations (lsm-options.ts), each the
 * research catalogue's item it reproduces (`../shared/research/bugs-and-fault-models.md` part B),
 * with the canary that proves the fuzzer still catches it. And the coverage marks the lsm
 * scenarios must hit, so a clean sweep means recovery really ran.
 */
import { BACKUP_MARKS } from '../../core/backup-tool.js';
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';
import { KV_MARKS } from './kv-store.js';

const CRASH = 'scenarios/lsm-crash.yaml';
const POWER_LOSS = 'scenarios/lsm-power-loss.yaml';
const DISK_FAULTS = 'scenarios/lsm-disk-faults.yaml';
const DELETES = 'scenarios/lsm-deletes.yaml';
const BACKUP_RESTORE = 'scenarios/lsm-backup-restore.yaml';
const PITR = 'scenarios/lsm-pitr.yaml';
/** What crash-consistency says of a bug that loses writes or leaves an image it cannot read. */
const LOST = 'acknowledged writes lost|unrecoverable disk image';

export const KV_STORE_NAMED_BUGS = [
  {
    name: 'kv-store.ack-before-fsync',
    summary:
      'a write counts as durable once its WAL record is appended, before the fsync completes (23)',
    // A read that saw a write a power loss then took back fails linearizability on every seed;
    // crash-consistency, which looks only at final reads, sees the loss itself on 60% of them.
    canary: {
      scenario: POWER_LOSS,
      checker: 'linearizability',
      budget: 10,
      seeds: [1],
      measured:
        '60/60 seeds fail linearizability (100%), first at 1, 2, 3; crash-consistency 36/60, ' +
        'first at 2',
    },
  },
  {
    name: 'kv-store.replay-stops-at-bad-checksum',
    summary:
      'WAL replay takes the first bad record for the end of the log, dropping the synced, ' +
      'acknowledged records after it (no second read, no look past the break)',
    // Only a bit flipped in the copy of a WAL segment read at recovery, in its synced part,
    // trips it: rare per seed, so the budget is swept by `npm run fuzz`, not in CI.
    canary: {
      scenario: DISK_FAULTS,
      checker: 'crash-consistency',
      says: LOST,
      budget: 100,
      seeds: [1],
      measured: '10/100 seeds fail crash-consistency (10%), first at 1, 25, 30',
    },
  },
  {
    name: 'kv-store.retry-fsync',
    summary: 'after a failed WAL fsync, fsync again and trust it (fsyncgate, 29)',
    canary: {
      scenario: DISK_FAULTS,
      checker: 'crash-consistency',
      says: LOST,
      budget: 10,
      seeds: [2],
      measured: '28/30 seeds fail crash-consistency (93%), first at 1, 2, 3',
    },
  },
  {
    name: 'kv-store.wal-deleted-before-flush-durable',
    summary:
      'delete the WAL segments a flush covers once its table is renamed, before the manifest is ' +
      'durable (27, Pebble #247)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'crash-consistency',
      says: LOST,
      budget: 10,
      seeds: [1],
      measured: '51/60 seeds fail crash-consistency (85%), first at 1, 3, 4',
    },
  },
  {
    name: 'kv-store.rename-without-fsync',
    summary:
      'publish tables and the manifest by rename with no fsync before it and no directory fsync ' +
      'after (30)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'crash-consistency',
      says: LOST,
      budget: 10,
      seeds: [1],
      measured: '60/60 seeds fail crash-consistency (100%), first at 1, 2, 3',
    },
  },
  {
    name: 'kv-store.tombstone-dropped-early',
    summary:
      'a compaction drops a tombstone without checking that no deeper level holds the key: the ' +
      'deleted value there is back (25, leveldb#184)',
    // Values sit in level 2 under tombstones that a level-0 compaction meets: the final read of
    // a key deleted last shows the value again on every seed (linearizability sees it too).
    canary: {
      scenario: DELETES,
      checker: 'crash-consistency',
      says: 'deleted values resurrected',
      budget: 10,
      seeds: [1],
      measured: '60/60 seeds fail crash-consistency (100%), first at 1, 2, 3',
    },
  },
  {
    name: 'kv-store.restore-skips-wal-replay',
    summary:
      'a restore copies the base backup’s tables and skips the WAL replay after them, yet claims ' +
      'the state reaches the backup’s sequence number: writes acknowledged before the restore ' +
      'point are missing',
    canary: {
      scenario: BACKUP_RESTORE,
      checker: 'crash-consistency',
      says: LOST,
      budget: 10,
      seeds: [1],
      measured: '60/60 seeds fail crash-consistency (100%), first at 1, 2, 3',
    },
  },
] as const satisfies readonly BugDefinition[];

export const KV_STORE_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: CRASH, seeds: 5, marks: [KV_MARKS.recovered, KV_MARKS.flushed] },
  { scenario: POWER_LOSS, seeds: 5, marks: [KV_MARKS.recovered, KV_MARKS.tornTail] },
  { scenario: DISK_FAULTS, seeds: 5, marks: [KV_MARKS.fsyncFailed, KV_MARKS.readRetried] },
  { scenario: DELETES, seeds: 5, marks: [KV_MARKS.compacted, KV_MARKS.recovered] },
  {
    scenario: BACKUP_RESTORE,
    seeds: 3,
    marks: [BACKUP_MARKS.fullBytes, BACKUP_MARKS.incrementalBytes, BACKUP_MARKS.restoreBytes],
  },
  { scenario: PITR, seeds: 3, marks: [BACKUP_MARKS.restoreBytes, KV_MARKS.flushed] },
];
