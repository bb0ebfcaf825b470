/**
 * The `disk:` section of a scenario: latencies, sector size, what a crash does to unsynced data,
 * and the storage faults (bit flips, latent sector errors, misdirected writes, failing fsyncs)
 * with how many nodes may suffer them.
 */
import { z } from 'zod';
import { DEFAULT_CRASH_MODEL } from '../../disk/disk-config.js';
import { delaySchema, intSchema, ppmToRatio, ratioSchema } from '../../options/units.js';

const diskFaultsSchema = z
  .strictObject({
    bitFlipOnRead: ratioSchema
      .prefault(0)
      .describe('per read: the returned copy has one bit flipped (default 0)'),
    bitFlipOnWrite: ratioSchema
      .prefault(0)
      .describe('per write: one bit flips as it is stored (default 0)'),
    latentSectorError: ratioSchema
      .prefault(0)
      .describe('per write: one sector becomes unreadable until rewritten (default 0)'),
    misdirectedWrite: ratioSchema
      .prefault(0)
      .describe('per write: the write lands at another offset of the same file (default 0)'),
    fsyncFail: ratioSchema
      .prefault(0)
      .describe('per fsync: it fails with EIO and its writes leave the durable path (default 0)'),
    perBlockMax: intSchema(1)
      .default(1)
      .describe(
        'at most this many faults ever hit one (file, sector) block (default 1, at most a billion)',
      ),
    nodes: z
      .union([z.enum(['minority', 'all']), intSchema(0)], {
        error: 'expected minority, all, or a whole number of nodes',
      })
      .default('minority')
      .describe(
        'how many nodes may have a faulty disk: minority (floor((n-1)/2)), all, or a number (default minority)',
      ),
  })
  .describe('storage faults; leave out for none');

export const diskSchema = z
  .strictObject({
    writeLatency: delaySchema()
      .prefault('100us')
      .describe('how long a write takes (default constant 100us)'),
    syncLatency: delaySchema()
      .prefault({ dist: 'uniform', min: '500us', max: '2ms' })
      .describe('how long an fsync takes (default uniform 500us..2ms)'),
    sectorBytes: intSchema(1, 1 << 20)
      .default(512)
      .describe(
        'sector size for torn writes, latent errors and misdirection, 1 to 1048576 (default 512)',
      ),
    crash: z
      .strictObject({
        keepUnsynced: ratioSchema
          .prefault(ppmToRatio(DEFAULT_CRASH_MODEL.keepUnsyncedPpm))
          .describe('chance an unsynced write survives a crash whole (default 0.25)'),
        torn: ratioSchema
          .prefault(ppmToRatio(DEFAULT_CRASH_MODEL.tornPpm))
          .describe(
            'chance a write not kept whole is torn at sector granularity rather than lost (default 0.5)',
          ),
        dirOpsKeep: ratioSchema
          .prefault(ppmToRatio(DEFAULT_CRASH_MODEL.dirOpsKeepPpm))
          .describe(
            'chance each further unsynced directory operation survives, in order (default 0.5)',
          ),
      })
      .prefault({})
      .describe('what a crash does to data that was not fsynced'),
    faults: diskFaultsSchema.optional(),
  })
  .prefault({})
  .describe('each node’s simulated disk');
