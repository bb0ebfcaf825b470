/**
 * Primary/backup's named bugs, with the canary that proves the fuzzer still catches each: the
 * scenario class that exposes it, the checker that must fire and what it must say, the seed
 * budget (the fuzzer finds it within seeds 1..budget and the correct protocol passes every one
 * of them), the seeds CI replays, and what was measured. And the coverage marks the primary/
 * backup scenarios must hit, so a clean sweep means failover and recovery really ran.
 */
import { MARKS } from '../../core/marks.js';
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

/**
 * The same scenario classes with the state machine in the LSM engine (`--option storage=lsm`):
 * the log stays in primary/backup's own WAL, so every bug is still expressible; each variant is
 * measured over 300 seeds and pinned with its own budget.
 */
const LSM = ['storage=lsm'];
const POWER_LOSS = 'scenarios/fast/pb-sync-power-loss.yaml';
const SYNC_PAUSE = 'scenarios/fast/pb-sync-pause.yaml';
const FSYNC_ERRORS = 'scenarios/fast/pb-sync-fsync-errors.yaml';
const SYNC_CRASH = 'scenarios/fast/pb-sync-crash.yaml';
const SYNC_CUT_OFF = 'scenarios/fast/pb-sync-primary-cut-off.yaml';

export const PB_NAMED_BUGS = [
  {
    name: 'primary-backup.ack-before-fsync',
    summary: 'acknowledge (primary to clients, backups to primary) before the fsync completes',
    canary: {
      scenario: POWER_LOSS,
      checker: 'durability',
      says: 'acknowledged writes lost',
      budget: 100,
      seeds: [3],
      measured: '19/200 seeds fail durability (9.5%), first at seeds 3, 4, 6',
      variants: [
        {
          options: LSM,
          budget: 120,
          seeds: [10],
          measured: '18/300 seeds fail durability (6%), first at seeds 10, 19, 45',
        },
      ],
    },
  },
  {
    name: 'primary-backup.fail-when-deposed',
    summary:
      'a deposed primary tells its waiting clients their writes failed, though a backup may ' +
      'already hold them',
    canary: {
      scenario: POWER_LOSS,
      checker: 'durability',
      says: 'writes reported failed are visible',
      budget: 20,
      seeds: [6],
      measured: '92/200 seeds fail durability (46%), first at seeds 6, 9, 15',
      variants: [
        {
          options: LSM,
          budget: 15,
          seeds: [2],
          measured: '144/300 seeds fail durability (48%), first at seeds 2, 4, 6',
        },
      ],
    },
  },
  {
    name: 'primary-backup.unfenced-epochs',
    summary: 'backups accept Replicate from a primary of an older epoch',
    // The dedicated scenario pauses the primary for longer than the election timeout, so a
    // deposed primary resumes and sends Replicate with its old epoch to backups that committed
    // past it.
    canary: {
      scenario: SYNC_PAUSE,
      checker: 'invariants',
      says: 'asked to overwrite committed index',
      budget: 50,
      seeds: [3],
      measured:
        '20/200 seeds trip the invariant (10%), first at seeds 3, 21, 25 ' +
        '(on pb-sync-crash: 1.2%, first at 377)',
      variants: [
        {
          options: LSM,
          budget: 90,
          seeds: [7],
          measured: '25/300 seeds trip the invariant (8.3%), first at seeds 7, 20, 23',
        },
      ],
    },
  },
  {
    name: 'primary-backup.retry-fsync',
    summary:
      'after a failed fsync, retry it and trust the retry (fsyncgate) instead of rewriting the ' +
      'data',
    // fsyncs fail 20% of the time on every node and power losses come every 700 ms on average: a
    // node that trusts a retried fsync loses the dropped pages on the next power loss.
    canary: {
      scenario: FSYNC_ERRORS,
      checker: 'durability',
      says: 'acknowledged writes lost',
      budget: 10,
      seeds: [1],
      measured: '200/200 seeds fail durability, first at seed 1',
      variants: [
        {
          options: LSM,
          budget: 10,
          seeds: [1],
          measured: '271/300 seeds fail durability (90%), first at seed 1',
        },
      ],
    },
  },
  {
    name: 'primary-backup.ack-before-backups',
    summary:
      'a sync primary acknowledges a write on its own fsync, before the backups acknowledge it ' +
      '(MySQL semi-sync falling back to async)',
    // Elsewhere the primary mostly rejoins alive, still knowing its commit point, and the
    // backups' assertion against overwriting a committed entry ends the run first (on
    // sync-survives-partition, every seed); here it crashes while cut off, forgets, and the loss
    // reaches the clients' final reads.
    canary: {
      scenario: SYNC_CUT_OFF,
      checker: 'durability',
      says: 'acknowledged writes lost',
      budget: 10,
      seeds: [1],
      measured: '300/300 seeds fail durability (100%), first at seeds 1, 2, 3',
      // With storage lsm the deposed primary keeps its commit point in the engine across the
      // crash, so the backups' assertion against overwriting a committed entry fires first.
      variants: [
        {
          options: LSM,
          checker: 'invariants',
          says: 'asked to overwrite committed index',
          budget: 10,
          seeds: [1],
          measured: '300/300 seeds trip the invariant (100%), first at seeds 1, 2, 3',
        },
      ],
    },
  },
] as const satisfies readonly BugDefinition[];

export const PB_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: SYNC_CRASH, seeds: 10, marks: [MARKS.suspect, MARKS.promoted, MARKS.caughtUp] },
  { scenario: POWER_LOSS, seeds: 10, marks: [MARKS.promoted, 'pb.torn-tail-truncated'] },
  { scenario: FSYNC_ERRORS, seeds: 10, marks: ['pb.fsync-failed'] },
  { scenario: SYNC_CUT_OFF, seeds: 10, marks: [MARKS.suspect, MARKS.promoted, MARKS.caughtUp] },
];
