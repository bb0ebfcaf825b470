/**
 * The shape of a scenario document (YAML, or JSON, which is YAML 1.2), as one zod schema: it
 * checks every field, converts units (durations to microseconds, ratios to ppm) and fills in
 * defaults, and its `.describe()` texts become the JSON Schema that editors show as docs.
 *
 * What it leaves out: anything that needs another field to judge. Node names depend on
 * `cluster.nodes`, options and bugs on `protocol`, the default workload and checkers on the
 * protocol's workloads. Those are checked by resolve-scenario.ts once the shape is right.
 *
 * Every object is strict, so a typo (`lossy: 0.1`) is an error rather than a silently ignored
 * field.
 */
import { z } from 'zod';
import { CHECKERS } from '../checkers/registry.js';
import { DEFAULT_CRASH_MODEL } from '../disk/disk-config.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { discriminatorError, oneOf, show, unlessMissing } from '../options/messages.js';
import { didYouMean } from '../options/suggest.js';
import {
  constantDelay,
  delaySchema,
  durationSchema,
  exponentialDelay,
  intSchema,
  ppmToRatio,
  ratioSchema,
  signedDurationSchema,
} from '../options/units.js';

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

/** Clock drift beyond ±50% is not a clock any more (and -100% would stop time). */
export const DRIFT_PPM_LIMIT = 500_000;
export const NODES_MAX = 64;

const PROTOCOL_NAMES = PROTOCOLS.map((p) => p.name);

/** A protocol named by a module path (`./gossip.js`) rather than a registered name. */
export const isProtocolModulePath = (v: string): boolean =>
  /^(\.{1,2}\/|\/)/.test(v) && /\.(m?js)$/.test(v);
const CHECKER_NAMES = CHECKERS.map((c) => c.name);

const nameSchema = z.string({ error: 'expected text' });

// ------------------------------------------------------------------------------ network

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

const networkSchema = z
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
  })
  .prefault({})
  .describe(
    'the simulated network between nodes (clients reach every node with the same defaults)',
  );

// ------------------------------------------------------------------------------ disk

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
      .describe('at most this many faults ever hit one (file, sector) block (default 1)'),
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

const diskSchema = z
  .strictObject({
    writeLatency: delaySchema()
      .prefault('100us')
      .describe('how long a write takes (default constant 100us)'),
    syncLatency: delaySchema()
      .prefault({ dist: 'uniform', min: '500us', max: '2ms' })
      .describe('how long an fsync takes (default uniform 500us..2ms)'),
    sectorBytes: intSchema(1, 1 << 20)
      .default(512)
      .describe('sector size for torn writes, latent errors and misdirection (default 512)'),
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

// ------------------------------------------------------------------------------ clocks

const driftSchema = z
  .number({ error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}` })
  .int({ error: 'expected a whole number of ppm' })
  .min(-DRIFT_PPM_LIMIT, {
    error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}`,
  })
  .max(DRIFT_PPM_LIMIT, {
    error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}`,
  });

const clocksSchema = z
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

// ------------------------------------------------------------------------------ workload

export const kvWorkloadSchema = z
  .strictObject({
    type: z
      .literal('kv', { error: 'expected kv (the only workload type so far)' })
      .default('kv')
      .describe('the workload type (default kv)'),
    clients: intSchema(1, 1000).default(3).describe('concurrent closed-loop clients (default 3)'),
    keys: intSchema(1, 1_000_000).default(5).describe('distinct keys k0..k(keys-1) (default 5)'),
    mix: z
      .strictObject({
        get: intSchema(0).default(0).describe('relative weight of get'),
        put: intSchema(0).default(0).describe('relative weight of put'),
        append: intSchema(0).default(0).describe('relative weight of append'),
      })
      .superRefine((m, ctx) => {
        if (m.get + m.put + m.append === 0)
          ctx.addIssue({
            code: 'custom',
            message: 'at least one of get, put, append must have a weight above 0',
          });
      })
      .prefault({ get: 1, put: 0, append: 2 })
      .describe(
        'relative weights of operations; weights left out are 0 (default { get: 1, put: 0, append: 2 })',
      ),
    think: delaySchema()
      .prefault({ dist: 'uniform', min: '1ms', max: '20ms' })
      .describe('pause between a client’s operations (default uniform 1ms..20ms)'),
    timeout: durationSchema
      .prefault('500ms')
      .describe(
        'a client gives up waiting after this long and records the outcome as unknown (default 500ms)',
      ),
    retries: intSchema(0, 1000)
      .default(3)
      .describe('retries of an operation that definitely failed (default 3)'),
    opsPerClientMax: intSchema(1)
      .default(100_000)
      .describe('operations per client at most (default 100000)'),
  })
  .describe('a key-value workload of get, put and append');

const workloadSchema = z
  .union([z.literal('none'), kvWorkloadSchema], {
    error: 'expected none, or a kv workload like { type: kv, clients: 3 }',
  })
  .optional()
  .describe(
    'client workload: none, or a kv workload (default: kv when the protocol serves kv, else none)',
  );

// ------------------------------------------------------------------------------ faults

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

const faultsSchema = z
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

// ------------------------------------------------------------------------------ document

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('the JSON Schema of this file, for editors; ignored'),
    name: z
      .string({ error: 'expected a name' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        error:
          'expected a name of letters, digits, dot, dash and underscore (it names the report folder)',
      })
      .optional()
      .describe(
        'the scenario’s name, used for report folders (default: the file name without extension)',
      ),
    description: z
      .string({ error: 'expected text' })
      .optional()
      .describe('one line saying what the scenario shows'),
    lesson: z
      .string({ error: 'expected text' })
      .optional()
      .describe('teaching text the CLI prints with the results'),
    protocol: z
      .string({ error: oneOf('protocol', PROTOCOL_NAMES) })
      .refine((v) => PROTOCOL_NAMES.includes(v) || isProtocolModulePath(v), {
        error: (iss) =>
          `unknown protocol ${show(iss.input)}: expected one of ${PROTOCOL_NAMES.join(', ')}, or a module path like ./my-protocol.js${typeof iss.input === 'string' ? didYouMean(iss.input, PROTOCOL_NAMES) : ''}`,
      })
      .describe(
        `the protocol under test: ${PROTOCOL_NAMES.join(', ')}, or a path (relative to this file) to a JavaScript module whose default export is a ProtocolDefinition`,
      ),
    options: z
      .record(z.string(), z.unknown(), { error: 'expected a mapping of protocol options' })
      .optional()
      .describe(
        'protocol-specific options, validated against the protocol’s own schema (see `faultline list`)',
      ),
    bugs: z
      .array(nameSchema, { error: 'expected a list of bug names' })
      .default([])
      .describe('named bugs of the protocol to switch on, e.g. primary-backup.ack-before-fsync'),
    seed: intSchema(0).optional().describe('the default seed when the command line gives none'),
    seeds: z
      .string({ error: 'expected a seed range like 1..1000' })
      .regex(/^\s*\d+\s*\.\.\s*\d+\s*$/, { error: 'expected a seed range like 1..1000' })
      .transform((text, ctx) => {
        const [from, to] = text.split('..').map((s) => Number(s.trim())) as [number, number];
        if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
          ctx.addIssue({
            code: 'custom',
            message: `expected a seed range A..B with A <= B, got ${show(text)}`,
          });
          return z.NEVER;
        }
        return { from, to };
      })
      .optional()
      .describe('the default seed range "A..B" when the command line gives none'),
    cluster: z
      .strictObject({
        nodes: intSchema(1, NODES_MAX)
          .default(3)
          .describe(`number of nodes n1..nN, 1 to ${NODES_MAX} (default 3)`),
      })
      .prefault({})
      .describe('the cluster'),
    network: networkSchema,
    disk: diskSchema,
    clocks: clocksSchema,
    workload: workloadSchema,
    faults: faultsSchema,
    phases: z
      .strictObject({
        faulty: durationSchema
          .prefault('10s')
          .describe('workload and faults run this long (default 10s)'),
        healed: durationSchema
          .prefault('3s')
          .describe('then every fault is healed and the workload goes on this long (default 3s)'),
        final: durationSchema
          .prefault('5s')
          .describe('then final reads must complete within this long (default 5s)'),
      })
      .prefault({})
      .describe('faulty, then healed, then final'),
    checkers: z
      .array(
        z.enum(CHECKER_NAMES as [string, ...string[]], { error: oneOf('checker', CHECKER_NAMES) }),
        { error: 'expected a list of checker names' },
      )
      .optional()
      .describe(
        `checkers to run: ${CHECKER_NAMES.join(', ')} (default: every checker that understands the workload)`,
      ),
    limits: z
      .strictObject({
        events: intSchema(1)
          .default(20_000_000)
          .describe('stop after this many events (default 20000000)'),
        virtualTime: durationSchema
          .optional()
          .describe('stop at this virtual time (default: faulty + healed + final + 10s)'),
      })
      .prefault({})
      .describe('bounds on a run'),
  })
  .describe('a faultline scenario: a protocol, a cluster, what goes wrong, and what is checked');

/** A document that has the right shape, with units converted and plain defaults applied. */
export type ScenarioDocument = z.output<typeof scenarioSchema>;
export type ScheduleEntryDocument = ScenarioDocument['faults']['schedule'][number];
export type NemesisDocument = ScenarioDocument['faults']['random'][number];
