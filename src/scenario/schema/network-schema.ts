/**
 * The `network:` section of a scenario: delays, loss, duplication and reordering for every link,
 * overrides for single directed links, and the opt-in replay of messages between nodes. Node names are checked against the cluster later,
 * in resolve-scenario.ts, since they depend on `cluster.nodes`.
 */
import { z } from 'zod';
import { delaySchema, ratioSchema } from '../../options/units.js';

const nameSchema = z.string({ error: 'expected text' });

const linkSchema = z
  .strictObject({
    from: nameSchema.describe('the sending node, n1..nN'),
    to: nameSchema.describe('the receiving node, n1..nN'),
    delay: delaySchema().optional().describe('one-way delay on this link (default: network.delay)'),
    loss: ratioSchema
      .optional()
      .describe('share of messages lost on this link (default: network.loss)'),
    duplicate: ratioSchema
      .optional()
      .describe('share of messages delivered twice (default: network.duplicate)'),
    reorder: ratioSchema
      .optional()
      .describe('share of messages held back to arrive out of order (default: network.reorder)'),
    symmetric: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe('also apply to the reverse direction, to -> from'),
  })
  .describe('an override for one directed link; fields left out keep the network-wide values');

const crossZoneSchema = z
  .strictObject({
    delay: delaySchema()
      .optional()
      .describe('one-way delay between zones (default: network.delay)'),
    loss: ratioSchema
      .optional()
      .describe('share of messages lost between zones (default: network.loss)'),
  })
  .optional()
  .describe(
    'links between nodes (and placed clients) in different zones of the topology, e.g. { delay: { dist: uniform, min: 20ms, max: 40ms } }; network.links still win for the links they name',
  );

const replaySchema = z
  .strictObject({
    ratio: ratioSchema.describe('share of messages between nodes replayed once, in [0, 1]'),
    delay: delaySchema().describe(
      'how long after the first copy the replay arrives, e.g. { dist: uniform, min: 10ms, max: 200ms }',
    ),
  })
  .optional()
  .describe(
    "TigerBeetle's packet replay: a share of the messages between nodes delivered once more, long after the first copy (off by default)",
  );

export const networkSchema = z
  .strictObject({
    delay: delaySchema()
      .prefault({ dist: 'uniform', min: '1ms', max: '5ms' })
      .describe(
        'one-way message delay: a duration, or { dist: constant|uniform|exponential, ... } (default uniform 1ms..5ms)',
      ),
    loss: ratioSchema.prefault(0).describe('share of messages lost, in [0, 1] (default 0)'),
    duplicate: ratioSchema
      .prefault(0)
      .describe('share of messages delivered twice, in [0, 1] (default 0)'),
    reorder: ratioSchema
      .prefault(0)
      .describe(
        'share of messages held back by up to three mean delays, so they arrive out of order, in [0, 1] (default 0)',
      ),
    links: z
      .array(linkSchema, { error: 'expected a list of links' })
      .default([])
      .describe('per-link overrides, e.g. { from: n1, to: n2, delay: 20ms, symmetric: true }'),
    crossZone: crossZoneSchema,
    replay: replaySchema,
  })
  .prefault({})
  .describe(
    'the simulated network between nodes (clients reach every node with the same defaults)',
  );
