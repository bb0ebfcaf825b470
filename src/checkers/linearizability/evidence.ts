/**
 * Evidence for a violation, for a person to read and a test to re-check.
 *
 * - The prefix: the fewest operations, in order of completion, that cannot be linearized, with
 *   the history cut at the culprit's return (see `cutHistory`). The narrowing starts from what
 *   the search already learned, the first return no configuration got past, so a good guess
 *   costs two trial searches (that cut fails, the one before it does not) instead of a binary
 *   search over the whole history.
 * - The window: a run of the prefix's last operations that still cannot be linearized when every
 *   earlier operation is made unknown too ("whatever the earlier ones did"). By default it is
 *   narrowed by doubling only (1, 2, 4, … operations: within a factor of two of the smallest);
 *   `full` bisects down to the smallest.
 * - The longest linearization the search found, and one sentence in the model's own terms
 *   (`Model.explain`), with a generic sentence when the model has none or cannot say.
 *
 * Trials are bounded in configurations and by the check's deadline (`shouldStop`): when time is
 * up the evidence keeps what is proven so far (a longer window, a prefix not shown to be the
 * shortest, at worst the whole history) and says in `omitted` what it left out. Every claim it
 * does make is re-checked by the tests with `cutHistory` and a fresh search.
 */
import {
  cutHistory,
  smallestFailing,
  type TrialLimit,
  Trials,
  type TrialVerdict,
} from './evidence-trials.js';
import type { LinOp, Model } from './types.js';

export { applyPruning, cutHistory } from './evidence-trials.js';

/** How much narrowing to do: `default` the cheap parts, `full` the smallest window too. */
export type EvidenceLevel = 'default' | 'full';

interface EvidenceOp {
  readonly id: number;
  readonly client: string;
  readonly text: string;
  readonly call: number;
  readonly ret: number | null;
  readonly line?: number;
}

export interface LinEvidence {
  readonly partition: string;
  /** The operation nothing can explain: the last of the prefix. */
  readonly culprit: EvidenceOp;
  /** Ids of the prefix, in completion order: cut at the culprit's return it fails. */
  readonly prefix: readonly number[];
  /** Whether the prefix without its culprit was shown to be linearizable (it is the shortest). */
  readonly prefixMinimal: boolean;
  /** The culprit's return: where the history is cut (see `cutHistory`). */
  readonly cut: number;
  /**
   * The window: these operations (the culprit and the ones that completed just before it, in
   * call order) cannot be linearized even with every other operation called by `cut` made
   * unknown. Ids in `windowIds`.
   */
  readonly window: readonly EvidenceOp[];
  readonly windowIds: readonly number[];
  /** Whether the window without its earliest-completed operation was shown to be linearizable. */
  readonly windowMinimal: boolean;
  /** The longest linearization the search found, as readable operations in order. */
  readonly longestLinearization: readonly EvidenceOp[];
  readonly sentence: string;
  /** What this evidence does not claim, and why, one sentence each (empty: it claims it all). */
  readonly omitted: readonly string[];
  /** Trial searches run to narrow it. */
  readonly trials: number;
}

/** What the search learned that the evidence starts from. */
export interface SearchHints {
  /** The operation whose return no configuration got past (the likely culprit), if known. */
  readonly frontierId?: number;
  /** The longest linearization found, as ids in order. */
  readonly longestIds: readonly number[];
  /** Configurations the search explored: trials may explore a few times that. */
  readonly states: number;
}

export interface EvidenceOptions {
  readonly formatTime?: (t: number) => string;
  readonly level?: EvidenceLevel;
  /** The check's deadline: once it returns true, no more trials. */
  readonly shouldStop?: () => boolean;
}

const retOf = (o: LinOp<unknown, unknown>) => (o.unknown ? Infinity : o.ret);

const WHY: Record<TrialLimit, string> = {
  deadline: 'the deadline came first',
  states: 'a trial search ran out of its budget of configurations',
  trials: 'the evidence ran out of trial searches',
};

export function buildEvidence<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
  partition: string,
  hints: SearchHints,
  options: EvidenceOptions = {},
): LinEvidence {
  const level = options.level ?? 'default';
  // A trial may explore a few times what the verdict took; one that runs out proves nothing.
  const statesMax = Math.min(2_000_000, Math.max(50_000, 4 * hints.states));
  const trials = new Trials(model, statesMax, options.shouldStop);
  const byRet = ops.filter((o) => !o.unknown).sort((a, b) => retOf(a) - retOf(b) || a.id - b.id);
  const at = (k: number) => (byRet[k - 1] as LinOp<I, O>).ret;
  // The whole history is known to fail (the verdict): no trial for it.
  const prefixFails = (k: number): TrialVerdict =>
    k === byRet.length ? 'fails' : trials.run(cutHistory(ops, new Set(ids(byRet, 0, k)), at(k)));
  const hint = byRet.findIndex((o) => o.id === hints.frontierId) + 1;
  const prefix = smallestFailing(0, byRet.length, hint, prefixFails);
  const k = prefix.fails;
  const cut = at(k);
  const windowFails = (w: number): TrialVerdict =>
    w === k ? 'fails' : trials.run(cutHistory(ops, new Set(ids(byRet, k - w, k)), cut));
  const window = smallestFailing(0, k, 1, windowFails, level === 'default');
  const omitted = omissions(prefix.minimal, window.minimal, level, trials.limit);
  if (hints.frontierId !== undefined && !prefix.minimal && hint !== k) {
    const f = ops.find((o) => o.id === hints.frontierId) as LinOp<I, O>;
    omitted.push(
      `the search got no further than ${model.describe(f.input, f.output, f.unknown)} by ${f.client}`,
    );
  }
  const present = presenter(ops, model, options.formatTime ?? String);
  const prefixOps = byRet.slice(0, k);
  const windowOps = prefixOps
    .slice(k - window.fails)
    .sort((a, b) => a.call - b.call || a.id - b.id);
  const culprit = prefixOps[k - 1] as LinOp<I, O>;
  return {
    partition,
    culprit: present.show(culprit),
    prefix: prefixOps.map((o) => o.id),
    prefixMinimal: prefix.minimal,
    cut,
    window: windowOps.map(present.show),
    windowIds: windowOps.map((o) => o.id),
    windowMinimal: window.minimal,
    longestLinearization: hints.longestIds.map((id) => present.show(present.byId(id))),
    sentence: present.sentence(culprit, k, prefix.minimal, partition),
    omitted,
    trials: trials.count,
  };
}

function ids<I, O>(byRet: readonly LinOp<I, O>[], from: number, to: number): number[] {
  return byRet.slice(from, to).map((o) => o.id);
}

function omissions(
  prefixMinimal: boolean,
  windowMinimal: boolean,
  level: EvidenceLevel,
  limit: TrialLimit | undefined,
): string[] {
  const why = limit === undefined ? '' : ` (${WHY[limit]})`;
  const out: string[] = [];
  if (!prefixMinimal)
    out.push(`the prefix is not shown to be the shortest that cannot be linearized${why}`);
  if (!windowMinimal)
    out.push(
      level === 'default' && limit === undefined
        ? 'the window is within a factor of two of the smallest (--evidence full narrows it)'
        : `the window is not shown to be the smallest${why}`,
    );
  return out;
}

/** How evidence shows operations and says what went wrong. */
function presenter<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
  fmt: (t: number) => string,
) {
  const byIdMap = new Map(ops.map((o) => [o.id, o]));
  const show = (o: LinOp<I, O>): EvidenceOp => ({
    id: o.id,
    client: o.client,
    text: model.describe(o.input, o.output, o.unknown),
    call: o.call,
    ret: o.unknown || !Number.isFinite(o.ret) ? null : o.ret,
    ...(o.line !== undefined ? { line: o.line } : {}),
  });
  const sentence = (
    culprit: LinOp<I, O>,
    k: number,
    minimal: boolean,
    partition: string,
  ): string => {
    const before = ops
      .filter((o) => !o.unknown && o.ret < culprit.call)
      .sort((a, b) => a.ret - b.ret || a.id - b.id);
    const concurrent = ops
      .filter((o) => o !== culprit && o.call <= culprit.ret && retOf(o) >= culprit.call)
      .sort((a, b) => a.call - b.call || a.id - b.id);
    // The whole past, never the window alone: a reason such as "nothing appended x" or "the adds
    // before it sum to s" is only true of every operation that came before.
    const specific = model.explain?.({ culprit, before, concurrent, time: fmt });
    const where = partition === '' ? '' : ` (key ${partition})`;
    if (specific !== undefined) return `${specific}${where}`;
    const reason =
      k === 1
        ? 'nothing completed before it, and it is impossible from the initial state'
        : minimal
          ? `the ${k - 1} operations that completed before it can be, but no order that respects real time then gives it its result`
          : `with the ${k - 1} operations that completed before it, no order that respects real time gives every one its result`;
    return `${show(culprit).text} by ${culprit.client} at ${when(show(culprit), fmt)}${where} cannot be linearized: ${reason}`;
  };
  return { show, sentence, byId: (id: number) => byIdMap.get(id) as LinOp<I, O> };
}

function when(o: EvidenceOp, fmt: (t: number) => string): string {
  const span =
    o.ret === null ? `from ${fmt(o.call)}, never answered` : `${fmt(o.call)}–${fmt(o.ret)}`;
  return o.line !== undefined && o.line !== o.call ? `${span} (line ${o.line})` : span;
}
