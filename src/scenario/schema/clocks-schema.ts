/**
 * The `clocks:` section of a scenario: how far each node's clock is off and how fast it drifts,
 * drawn per node from bounds or fixed per node.
 */
import { z } from 'zod';
import {
  DRIFT_PPM_LIMIT,
  driftSchema,
  durationSchema,
  intSchema,
  signedDurationSchema,
} from '../../options/units.js';

export const clocksSchema = z
  .strictObject({
    skewMax: durationSchema
      .prefault(0)
      .describe('each node’s clock offset is drawn uniformly from ±skewMax (default 0ms)'),
    driftPpmMax: intSchema(0, DRIFT_PPM_LIMIT)
      .default(0)
      .describe(
        'each node’s drift is drawn uniformly from ±driftPpmMax parts per million (default 0)',
      ),
    nodes: z
      .record(
        z.string(),
        z
          .strictObject({
            offset: signedDurationSchema
              .prefault(0)
              .describe('this node’s clock offset; may be negative, e.g. -50ms (default 0)'),
            driftPpm: driftSchema
              .default(0)
              .describe('this node’s drift in ppm; + runs fast (default 0)'),
          })
          .describe('a fixed clock for one node, replacing the random draw'),
        { error: 'expected a mapping from node name to { offset, driftPpm }' },
      )
      .default({})
      .describe('fixed clocks per node, e.g. { n1: { offset: 50ms, driftPpm: 100 } }'),
  })
  .prefault({})
  .describe('node clocks: skew and drift as each node sees time');
