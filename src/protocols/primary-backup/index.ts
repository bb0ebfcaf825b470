/**
 * The primary/backup protocol's definition: options, named bugs, and how to build it.
 */
import { z } from 'zod';
import { MARKS } from '../../core/marks.js';
import { intSchema } from '../../options/units.js';
import { ReplicationMetrics } from '../shared/replication-metrics.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { kvStoreOptionsSchema } from '../kv-store/index.js';
import { PB_COVERAGE, PB_NAMED_BUGS } from './named-bugs.js';
import { createPrimaryBackup, type PbOptions } from './primary-backup.js';

export { appliedData } from './applied-data.js';
export { checkpointShipment } from './checkpoint-shipment.js';
export { extendWal, lastLogPosition, type LogPosition, walSuffix } from './log-suffix.js';
export { isQuietPrimary, quietPrimaryOf, WAKE_TIMER } from './quiescence.js';
export { commitIndexOf, isPrimary } from './replica-role.js';

const optionsSchema = z.strictObject({
  mode: z
    .enum(['sync', 'async'])
    .default('sync')
    .describe(
      'sync: ack after every backup has the write durable; async: ack after the primary alone',
    ),
  heartbeatMs: intSchema(1, 10_000)
    .default(20)
    .describe(
      'how often the primary sends Replicate (its heartbeat), in whole ms, 1 to 10000 (a primary silent for 10 s is not heartbeating)',
    ),
  electionTimeoutMs: intSchema(1, 60_000)
    .default(150)
    .describe(
      'a backup suspects the primary after this long without a heartbeat (randomized up to twice as long), in whole ms, 1 to 60000 (a minute without a primary is an outage, not a timeout)',
    ),
  batchMax: intSchema(1, 10_000)
    .default(64)
    .describe('most log entries in one Replicate, 1 to 10000 (a message, not a snapshot)'),
  storage: z
    .enum(['memory', 'lsm'])
    .default('memory')
    .describe(
      'where the kv store lives: memory (rebuilt from the log after a crash) or lsm (the LSM engine on the node disk, applied index in the same write batch as the data)',
    ),
  lsm: kvStoreOptionsSchema
    .prefault({})
    .describe('the LSM engine options under storage: lsm, as the kv-store protocol takes them'),
  checkpointEvery: intSchema(0, 1_000_000)
    .default(0)
    .describe(
      'applied entries between checkpoints of the kv store (ckpt.0, ckpt.1), which recovery starts from; 0 takes none; sync mode and storage: memory only, 0 to 1000000',
    ),
});

/** Checkpoints hold committed state only where nothing committed is ever rolled back. */
export function checkpointMisfit(options: PbOptions) {
  if ((options.checkpointEvery ?? 0) === 0) return undefined;
  if (options.mode !== 'sync')
    return {
      path: ['checkpointEvery'],
      message: `checkpoints need mode: sync (an asynchronous group rolls back committed entries): set checkpointEvery: 0 or mode: sync`,
    };
  if (options.storage === 'lsm')
    return {
      path: ['checkpointEvery'],
      message: `checkpoints keep the kv store in memory; under storage: lsm the engine is the checkpoint: set checkpointEvery: 0`,
    };
  return undefined;
}

export const primaryBackup: ProtocolDefinition<PbOptions> = {
  name: 'primary-backup',
  summary:
    'Primary/backup replication of a kv store with WAL, heartbeat failure detector and epoch-fenced failover; sync or async.',
  workloads: ['kv'],
  bugs: PB_NAMED_BUGS,
  coverage: PB_COVERAGE,
  roles: [
    {
      name: 'primary',
      summary: 'the node that serves clients and replicates to the others',
      takenBy: MARKS.promoted,
    },
  ],
  metrics: () => new ReplicationMetrics(),
  optionsSchema: optionsSchema as z.ZodType<PbOptions>,
  checkWorkload: (options) => checkpointMisfit(options),
  create: ({ options, bugs, nodes }) => createPrimaryBackup(options, bugs, nodes),
};
