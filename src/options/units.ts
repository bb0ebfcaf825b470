/**
 * The small value types scenario files are written in, as zod schemas that validate and convert
 * in one step: durations ("150ms", "2s", or a bare number of ms) become integer microseconds,
 * ratios in [0, 1] become parts per million, and delays (a duration, or a distribution object)
 * become the `DelaySpec` the network and disk sample from. Every message says what was
 * expected, since the person reading it is looking at their own file, not at this code.
 */
import { z } from 'zod';
import { PPM, toPpm } from '../core/prng.js';
import { formatDuration, parseDuration, US_PER_S, type Micros } from '../core/time.js';
import type { DelaySpec, SlowTail } from '../core/delay.js';
import { discriminatorError, show, unlessMissing } from './messages.js';

const DURATION_HINT =
  'expected a duration like 150ms or 2s (units us, ms, s, m; a bare number means ms)';
const SIGNED_DURATION_HINT =
  'expected a duration like 50ms or -50ms (units us, ms, s, m; a bare number means ms)';
const RATIO_HINT = 'expected a ratio between 0 and 1, like 0.01';

/**
 * What parseDuration accepts, repeated as a pattern so editors flag a bad duration as it is
 * typed. parseDuration stays the authority: a value that passes here is parsed by it.
 */
const DURATION_PATTERN = /^\s*\d+(?:\.\d+)?\s*(?:us|µs|ms|s|m|min)?\s*$/;
const SIGNED_DURATION_PATTERN = /^\s*-?\s*\d+(?:\.\d+)?\s*(?:us|µs|ms|s|m|min)?\s*$/;

const got =
  (hint: string) =>
  (issue: { readonly input?: unknown }): string =>
    `${hint}, got ${show(issue.input)}`;

function durationInput(hint: string, pattern: RegExp, signed: boolean) {
  const number = z.number({ error: got(hint) });
  return z.union(
    [
      z.string().regex(pattern, { error: got(hint) }),
      signed ? number : number.min(0, { error: got(hint) }),
    ],
    { error: unlessMissing(hint) },
  );
}

/**
 * The longest duration a scenario may write: a day of virtual time. No phase, delay or fault
 * needs more (a run that long meets its event and memory limits first), and sums and products
 * of durations (phases, slow tails) stay exact integers far below 2^53 microseconds.
 */
export const DURATION_US_MAX: Micros = 24 * 60 * 60 * US_PER_S;
/** In units a scenario can write (there is no `h`). */
const DURATION_MAX_TEXT = '1440m';
const TOO_LONG = `expected a duration of at most ${DURATION_MAX_TEXT} (DURATION_US_MAX)`;

/** A non-negative duration, as integer microseconds. */
export const durationSchema = durationInput(DURATION_HINT, DURATION_PATTERN, false)
  .transform((value, ctx): Micros => {
    const us = parseDuration(value);
    if (us === undefined || !Number.isSafeInteger(us)) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_HINT}, got ${show(value)}` });
      return z.NEVER;
    }
    if (us > DURATION_US_MAX) {
      ctx.addIssue({ code: 'custom', message: `${TOO_LONG}, got ${show(value)}` });
      return z.NEVER;
    }
    return us;
  })
  .meta({
    id: 'faultline.scenario.duration',
    description: `a duration: text with a unit (us, ms, s, m) like 150ms or 2s, or a number of milliseconds; at most ${DURATION_MAX_TEXT}, a day of virtual time, which no phase, delay or fault needs`,
  });

/** A duration that may be negative ("-50ms"), for clock offsets and skew bumps. */
export const signedDurationSchema = durationInput(
  SIGNED_DURATION_HINT,
  SIGNED_DURATION_PATTERN,
  true,
)
  .transform((value, ctx): Micros => {
    let negative = false;
    let magnitude: string | number = value;
    if (typeof value === 'number' && value < 0) {
      negative = true;
      magnitude = -value;
    } else if (typeof value === 'string' && value.trim().startsWith('-')) {
      negative = true;
      magnitude = value.trim().slice(1);
    }
    const us = parseDuration(magnitude);
    if (us === undefined || !Number.isSafeInteger(us)) {
      ctx.addIssue({ code: 'custom', message: `${SIGNED_DURATION_HINT}, got ${show(value)}` });
      return z.NEVER;
    }
    if (us > DURATION_US_MAX) {
      ctx.addIssue({ code: 'custom', message: `${TOO_LONG} either way, got ${show(value)}` });
      return z.NEVER;
    }
    return negative && us !== 0 ? -us : us;
  })
  .meta({
    id: 'faultline.scenario.signed-duration',
    description: `a duration that may be negative, like -50ms or 2s, or a number of milliseconds; at most ${DURATION_MAX_TEXT} either way`,
  });

/** A probability or share in [0, 1], as integer parts per million. */
export const ratioSchema = z
  .number({ error: unlessMissing(RATIO_HINT) })
  .min(0, { error: RATIO_HINT })
  .max(1, { error: RATIO_HINT })
  .transform((r) => toPpm(r))
  .meta({ id: 'faultline.scenario.ratio', description: 'a ratio between 0 and 1' });

/**
 * The largest count a scenario may write where no smaller bound applies (events, operations,
 * weights): a billion, beyond any run's reach, and small enough that sums of a few of them stay
 * exact.
 */
export const COUNT_MAX = 1_000_000_000;

/** A whole number in [min, max], with a message that says so. */
export function intSchema(min: number, max: number = COUNT_MAX) {
  const hint =
    max === Number.MAX_SAFE_INTEGER
      ? `expected a whole number >= ${min}`
      : `expected a whole number from ${min} to ${max}`;
  const error = (issue: { readonly input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : `${hint}, got ${show(issue.input)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A tail sample 1000 times the delay is a partition, which faults express better. */
const SLOW_TAIL_FACTOR_MAX = 1000;
const FACTOR_HINT = `expected a factor from 1 to ${SLOW_TAIL_FACTOR_MAX}, like 10`;

const slowTailSchema = z
  .strictObject({
    ratio: ratioSchema.describe('share of samples in the slow tail, in [0, 1]'),
    factor: z
      .number({ error: unlessMissing(FACTOR_HINT) })
      .min(1, { error: (iss) => `${FACTOR_HINT}, got ${show(iss.input)}` })
      .max(SLOW_TAIL_FACTOR_MAX, { error: (iss) => `${FACTOR_HINT}, got ${show(iss.input)}` })
      .describe(
        `how many times longer a tail sample is, 1 to ${SLOW_TAIL_FACTOR_MAX} (a message ${SLOW_TAIL_FACTOR_MAX} times late is a partition: use a fault)`,
      ),
  })
  .describe('an optional long tail: a share of samples takes `factor` times longer');

const delayObjectSchema = z
  .discriminatedUnion(
    'dist',
    [
      z.strictObject({
        dist: z.literal('constant').describe('always the same delay'),
        value: durationSchema.describe('the delay'),
        slowTail: slowTailSchema.optional(),
      }),
      z
        .strictObject({
          dist: z.literal('uniform').describe('uniform between min and max, inclusive'),
          min: durationSchema.describe('the shortest delay'),
          max: durationSchema.describe('the longest delay (>= min)'),
          slowTail: slowTailSchema.optional(),
        })
        .superRefine((d, ctx) => {
          if (d.min > d.max)
            ctx.addIssue({
              code: 'custom',
              path: ['min'],
              message: `min (${formatDuration(d.min)}) is greater than max (${formatDuration(d.max)})`,
            });
        }),
      z.strictObject({
        dist: z
          .literal('exponential')
          .describe('min plus an exponentially distributed extra with the given mean'),
        min: durationSchema.prefault(0).describe('the floor added to every sample (default 0)'),
        mean: durationSchema.describe('the mean of the exponential part'),
        slowTail: slowTailSchema.optional(),
      }),
    ],
    { error: discriminatorError('dist', 'distribution', ['constant', 'uniform', 'exponential']) },
  )
  .meta({
    id: 'faultline.scenario.distribution',
    description:
      'a delay distribution: constant, uniform or exponential, with an optional slow tail',
  });

type DelayObject = z.output<typeof delayObjectSchema>;

function toDelaySpec(d: DelayObject): DelaySpec {
  const tail: { slowTail?: SlowTail } =
    d.slowTail === undefined
      ? {}
      : { slowTail: { ppm: d.slowTail.ratio, factor: d.slowTail.factor } };
  switch (d.dist) {
    case 'constant':
      return { dist: 'constant', us: d.value, ...tail };
    case 'uniform':
      return { dist: 'uniform', minUs: d.min, maxUs: d.max, ...tail };
    case 'exponential':
      return { dist: 'exponential', minUs: d.min, meanUs: d.mean, ...tail };
  }
}

const DELAY_HINT =
  'expected a delay: a duration like 5ms, or a distribution like { dist: uniform, min: 1ms, max: 5ms }';

/**
 * A delay distribution. A plain duration means `plain(us)`: a constant for latencies and
 * holding times, an exponential with that mean for the gaps between random faults.
 */
export function delaySchema(plain: (us: Micros) => DelaySpec = constantDelay) {
  return z
    .union([durationSchema, delayObjectSchema], { error: unlessMissing(DELAY_HINT) })
    .transform((v): DelaySpec => (typeof v === 'number' ? plain(v) : toDelaySpec(v)));
}

export const constantDelay = (us: Micros): DelaySpec => ({ dist: 'constant', us });
export const exponentialDelay = (us: Micros): DelaySpec => ({
  dist: 'exponential',
  minUs: 0,
  meanUs: us,
});

/** A ratio for prose and defaults: 250000 ppm → 0.25. */
export const ppmToRatio = (ppm: number): number => ppm / PPM;

/** Clock drift beyond ±50% is not a clock any more (and -100% would stop time). */
export const DRIFT_PPM_LIMIT = 500_000;

export const driftSchema = z
  .number({ error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}` })
  .int({ error: 'expected a whole number of ppm' })
  .min(-DRIFT_PPM_LIMIT, {
    error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}`,
  })
  .max(DRIFT_PPM_LIMIT, {
    error: `expected a drift in ppm between -${DRIFT_PPM_LIMIT} and ${DRIFT_PPM_LIMIT}`,
  });
