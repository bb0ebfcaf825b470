/**
 * The trial searches evidence is narrowed with: does this relaxed history fail? A history "cut"
 * at a time T keeps the operations that completed by T (some of them as they are, the rest made
 * unknown) and drops what was called later; it is linearizable whenever the whole history is, so
 * a cut that fails is a proof. Cuts are monotone in what they keep, so a galloping binary search
 * from a hint finds the shortest one that fails in a few trials when the hint is good: the
 * search's own frontier (the first return no configuration got past) usually is.
 *
 * Each trial is bounded in configurations and by the check's deadline. One that runs out says
 * "not shown" rather than "holds", so evidence only ever narrows to cuts proven to fail, and a
 * claim of minimality rests on a trial that proved the next smaller cut linearizable.
 */
import { searchLinearization } from './search.js';
import type { LinOp, Model, Pruning } from './types.js';

export type TrialVerdict = 'fails' | 'holds' | 'unknown';

/** Why a trial said nothing: the deadline came, a trial ran out of states, or too many trials. */
export type TrialLimit = 'deadline' | 'states' | 'trials';

/** Trials in one evidence at most: enough for two binary searches over a long history. */
const TRIALS_MAX = 80;

/** Applies a model's pruning of unknown operations (verdict-preserving, see types.ts). */
export function applyPruning<I, O>(ops: readonly LinOp<I, O>[], p: Pruning): LinOp<I, O>[] {
  const out: LinOp<I, O>[] = [];
  for (const o of ops) {
    if (p.drop.has(o.id)) continue;
    const by = p.happenedBy?.get(o.id);
    out.push(by === undefined ? o : { ...o, unknown: false, ret: Math.max(by, o.call) });
  }
  return out;
}

/**
 * The history cut at `cut`: operations in `known` as they are, every other operation called by
 * `cut` as unknown, the rest left out. Linearizable whenever the whole history is.
 */
export function cutHistory<I, O>(
  ops: readonly LinOp<I, O>[],
  known: ReadonlySet<number>,
  cut: number,
): LinOp<I, O>[] {
  const out: LinOp<I, O>[] = [];
  for (const o of ops) {
    if (known.has(o.id) && !o.unknown) out.push(o);
    else if (o.call <= cut) out.push(o.unknown ? o : { ...o, unknown: true, ret: Infinity });
  }
  return out;
}

/** Runs trial searches within a budget, and remembers why one said nothing. */
export class Trials<S, I, O> {
  count = 0;
  /** Set once a trial said "unknown": why. */
  limit: TrialLimit | undefined;
  private readonly stop: (() => boolean) | undefined;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly statesMax: number,
    shouldStop?: () => boolean,
  ) {
    this.stop =
      shouldStop === undefined
        ? undefined
        : () => {
            if (this.limit !== 'deadline' && shouldStop()) this.limit = 'deadline';
            return this.limit === 'deadline';
          };
  }

  /** Whether `subset` (a cut history) cannot be linearized, can, or was not decided. */
  run(subset: readonly LinOp<I, O>[]): TrialVerdict {
    if (this.stop?.() === true) return 'unknown';
    if (this.count >= TRIALS_MAX) {
      this.limit ??= 'trials';
      return 'unknown';
    }
    this.count++;
    const { model } = this;
    const pruned =
      model.prune !== undefined && subset.some((o) => o.unknown)
        ? applyPruning(subset, model.prune(subset))
        : subset;
    const r = searchLinearization(pruned, model, {
      statesMax: this.statesMax,
      ...(this.stop !== undefined ? { shouldStop: this.stop } : {}),
    });
    if (r.verdict === 'unknown') {
      this.limit ??= 'states';
      return 'unknown';
    }
    return r.verdict === 'violation' ? 'fails' : 'holds';
  }
}

/** Where a monotone search over sizes ended: the smallest size shown to fail, and below it. */
export interface Narrowed {
  /** The smallest size proven to fail. */
  readonly fails: number;
  /** Whether size `fails - 1` was proven to hold (so `fails` is the smallest). */
  readonly minimal: boolean;
}

/**
 * The smallest size in [lo + 1, hi] whose trial fails, given that `hi` fails and `lo` holds
 * (`loProven` says whether that was shown or is only assumed). Gallops from `hint` (the size
 * expected to be the answer) in doubling steps, then bisects; `coarse` stops once the answer is
 * bracketed within a factor of two (the cheap evidence), taking the failing end.
 */
export function smallestFailing(
  lo: number,
  hi: number,
  hint: number,
  fails: (size: number) => TrialVerdict,
  coarse = false,
): Narrowed {
  let loProven = true;
  const probe = (size: number): boolean => {
    const v = fails(size);
    if (v === 'fails') hi = size;
    else {
      lo = size;
      loProven = v === 'holds';
    }
    return v === 'fails';
  };
  if (hint > lo && hint < hi && probe(hint)) {
    // Failing at the hint: step down until a size holds.
    for (let step = 1; hi - step > lo && probe(hi - step); step *= 2);
  } else {
    // Holding at the hint (or no hint): step up until a size fails.
    for (let step = 1; lo + step < hi && !probe(lo + step); step *= 2);
  }
  while (hi - lo > 1 && !(coarse && hi <= 2 * Math.max(lo, 1))) probe((lo + hi) >>> 1);
  return { fails: hi, minimal: hi - lo === 1 && loProven };
}
