/**
 * The `faults:` section of a scenario: faults at fixed times (`schedule`), random nemeses during
 * the faulty phase (`random`), and how many nodes nemeses may hold down at once (`maxDown`).
 */
import { z } from 'zod';
import { discriminatorError, oneOf, unlessMissing } from '../../options/messages.js';
import {
  constantDelay,
  delaySchema,
  durationSchema,
  exponentialDelay,
  intSchema,
  signedDurationSchema,
} from '../../options/units.js';
import { driftSchema } from './clocks-schema.js';

export const PARTITION_SHAPES = [
  'halves',
  'random-halves',
  'isolate',
  'bridge',
  'majorities-ring',
] as const;
export const SCHEDULE_ACTIONS = [
  'partition',
  'crash',
  'restart',
  'pause',
  'resume',
  'heal',
  'clog',
  'skew',
] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

const nameSchema = z.string({ error: 'expected text' });

const nodeRefSchema = z.string({ error: 'expected a node: n1..nN, random, primary or all' });

const PAIR_HINT = 'expected a pair of two nodes, like [n1, n3]';
/** The exact links a partition cuts: what a bridge or a majorities ring drew, written down. */
const cutSchema = z
  .strictObject({
    cut: z
      .array(
        z
          .array(nameSchema, { error: PAIR_HINT })
          .min(2, { error: PAIR_HINT })
          .max(2, { error: PAIR_HINT }),
        { error: unlessMissing('expected a list of node pairs, like [[n1, n3], [n2, n4]]') },
      )
      .describe(
        'node pairs that cannot talk (both ways, or first to second with oneWay); may be empty',
      ),
  })
  .describe('the exact links to cut, e.g. { cut: [[n1, n3], [n2, n4]] }');

const scheduleEntrySchema = z
  .strictObject({
    at: durationSchema.describe('when the fault strikes, from the start of the run'),
    for: durationSchema
      .optional()
      .describe(
        'undo the fault after this long (heal, restart, resume, unskew); required for clog',
      ),
    partition: z
      .union(
        [
          z.enum(PARTITION_SHAPES),
          z.array(z.array(nameSchema, { error: 'expected a list of nodes' }), {
            error: 'expected a list of components',
          }),
          cutSchema,
        ],
        {
          error: `expected a partition shape (${PARTITION_SHAPES.join(', ')}), components like [[n1, n2], [n3]], or cut links like { cut: [[n1, n3]] }`,
        },
      )
      .optional()
      .describe(
        'cut the network: a shape, explicit components like [[n1, n2], [n3]], or the exact node pairs that cannot talk, { cut: [[n1, n3], [n2, n4]] }',
      ),
    oneWay: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .describe(
        'with partition: cut only messages leaving the first component (or the isolated node); with cut, only messages from the first node of each pair to the second',
      ),
    node: nameSchema
      .optional()
      .describe('with partition: isolate: the node to isolate, n1..nN or primary (default random)'),
    crash: nodeRefSchema
      .optional()
      .describe(
        'crash a node (n1..nN, random, primary, or all for a whole-cluster power loss); with for, restart it after',
      ),
    restart: nodeRefSchema.optional().describe('restart a crashed node'),
    pause: nodeRefSchema
      .optional()
      .describe('pause a node (it keeps its state); with for, resume it after'),
    resume: nodeRefSchema.optional().describe('resume a paused node'),
    heal: z
      .literal(true, { error: 'expected heal: true' })
      .optional()
      .describe('heal every partition'),
    clog: z
      .union(
        [
          nodeRefSchema,
          z.tuple([nameSchema, nameSchema], { error: 'expected a link like [n1, n2]' }),
        ],
        { error: 'expected a node (n1..nN, random, primary) or a link like [n1, n2]' },
      )
      .optional()
      .describe('hold every message to and from a node, or on a link (both ways), for `for`'),
    skew: nodeRefSchema.optional().describe('move a node’s clock; with for, restore it after'),
    by: signedDurationSchema
      .optional()
      .describe('with skew: how far to move the clock, e.g. -200ms'),
    driftPpm: driftSchema.optional().describe('with skew: the node’s new drift in ppm'),
  })
  .superRefine((e, ctx) => {
    const present = SCHEDULE_ACTIONS.filter((k) => e[k] !== undefined);
    const [action, second] = present;
    if (action === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected one action: ${SCHEDULE_ACTIONS.join(', ')}`,
      });
      return;
    }
    if (second !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [second],
        message: `one action per entry: this entry already has ${action}`,
      });
      return;
    }
    const onlyWith = (field: 'oneWay' | 'node' | 'by' | 'driftPpm', owner: ScheduleAction) => {
      if (e[field] !== undefined && action !== owner)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} only goes with ${owner}, not ${action}`,
        });
    };
    onlyWith('oneWay', 'partition');
    onlyWith('node', 'partition');
    onlyWith('by', 'skew');
    onlyWith('driftPpm', 'skew');
    if (action === 'partition' && e.node !== undefined && e.partition !== 'isolate') {
      ctx.addIssue({
        code: 'custom',
        path: ['node'],
        message: 'node only goes with partition: isolate',
      });
    }
    if (action === 'clog' && e.for === undefined)
      ctx.addIssue({ code: 'custom', message: 'clog needs for: how long messages are held' });
    if ((action === 'restart' || action === 'resume' || action === 'heal') && e.for !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['for'],
        message: `${action} has no inverse to run after for`,
      });
    }
    if (action === 'skew' && e.by === undefined && e.driftPpm === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'skew needs by (an offset like -200ms) or driftPpm',
      });
  })
  .describe('one scheduled fault: at, exactly one action, and an optional for');

const intervalSchema = delaySchema(exponentialDelay).describe(
  'time between faults: a duration means exponential with that mean, or a delay distribution',
);
const holdSchema = delaySchema(constantDelay).describe(
  'how long each fault lasts: a duration means constant, or a delay distribution',
);
const targetSchema = z
  .enum(['any', 'primary', 'all'], { error: 'expected any, primary or all' })
  .default('any')
  .describe(
    'which node to hit: any, the current primary, or all at once (a power loss; ignores maxDown) (default any)',
  );

const nemesisSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('crash').describe('crash a node, restart it after for'),
        every: intervalSchema,
        for: holdSchema,
        target: targetSchema,
      }),
      z.strictObject({
        kind: z.literal('pause').describe('pause a node, resume it after for'),
        every: intervalSchema,
        for: holdSchema,
        target: targetSchema,
      }),
      z.strictObject({
        kind: z.literal('partition').describe('partition the network, heal after for'),
        every: intervalSchema,
        for: holdSchema,
        shapes: z
          .array(z.enum(PARTITION_SHAPES, { error: oneOf('partition shape', PARTITION_SHAPES) }), {
            error: 'expected a list of partition shapes',
          })
          .min(1, { error: 'expected at least one shape' })
          .optional()
          .describe(
            `shapes to draw from (default all: ${PARTITION_SHAPES.join(', ')}; bridge needs 3 nodes)`,
          ),
        oneWay: z
          .boolean({ error: 'expected true or false' })
          .default(false)
          .describe('cut only one direction (default false)'),
        target: z
          .enum(['any', 'primary', 'all'], { error: 'expected any or primary' })
          .default('any')
          .describe(
            'isolate: cut off a random node (any) or whichever node is primary/leader now (primary) (default any)',
          ),
      }),
      z.strictObject({
        kind: z.literal('clog').describe('hold a node’s messages for for'),
        every: intervalSchema,
        for: holdSchema,
        target: targetSchema,
      }),
      z.strictObject({
        kind: z.literal('skew').describe('bump a node’s clock, restore it after for'),
        every: intervalSchema,
        for: holdSchema,
        target: targetSchema,
        bumpMax: durationSchema
          .prefault('1s')
          .describe('largest clock bump, either way (default 1s)'),
      }),
    ],
    {
      error: discriminatorError('kind', 'nemesis kind', [
        'crash',
        'pause',
        'partition',
        'clog',
        'skew',
      ]),
    },
  )
  .superRefine((n, ctx) => {
    const meanUs =
      n.every.dist === 'constant'
        ? n.every.us
        : n.every.dist === 'uniform'
          ? n.every.maxUs
          : n.every.minUs + n.every.meanUs;
    if (meanUs <= 0)
      ctx.addIssue({ code: 'custom', path: ['every'], message: 'every must be longer than 0' });
  })
  .describe('a random nemesis, active during the faulty phase');

export const faultsSchema = z
  .strictObject({
    schedule: z
      .array(scheduleEntrySchema, { error: 'expected a list of scheduled faults' })
      .default([])
      .describe('faults at fixed times, e.g. { at: 2s, partition: halves, for: 3s }'),
    random: z
      .array(nemesisSchema, { error: 'expected a list of nemeses' })
      .default([])
      .describe('random nemeses, e.g. { kind: crash, every: 2s, for: 500ms }'),
    maxDown: z
      .union([z.literal('minority'), intSchema(0)], {
        error: 'expected minority or a whole number of nodes',
      })
      .default('minority')
      .describe(
        'nemeses never take more nodes down (crashed or paused) than this: minority = floor((n-1)/2), or a number (default minority)',
      ),
  })
  .prefault({})
  .describe('what goes wrong, and when');
