/**
 * Evidence for a violation, for a person to read and a test to re-check.
 *
 * - The prefix: the fewest operations, in order of completion, that cannot be linearized. The
 *   history it is checked as is "cut" at the culprit's return T: the operations that completed
 *   by T as they are, the ones called by T but not completed yet as unknown (they may or may not
 *   have happened), nothing called later. If the whole history had a linearization, its part
 *   up to T would be one of this cut, so a cut that fails proves the history fails.
 * - The window: the shortest run of the prefix's last operations that still cannot be
 *   linearized when every earlier operation is made unknown too ("whatever the earlier ones
 *   did"). Making an operation unknown only relaxes the history, so this stays a proof.
 * - The longest linearization the search found, and one sentence in the model's own terms
 *   (`Model.explain`), with a generic sentence when the model has none or cannot say.
 * Every claim is re-checked by the tests with `cutHistory` and a fresh search.
 */
import { searchLinearization } from './search.js';
import type { LinOp, Model, Pruning } from './types.js';

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
  /** The operation nothing can explain: the last of the shortest prefix that fails. */
  readonly culprit: EvidenceOp;
  /** Ids of that prefix, in completion order: cut at the culprit's return it fails, and without the culprit it does not. */
  readonly prefix: readonly number[];
  /** The culprit's return: where the history is cut (see `cutHistory`). */
  readonly cut: number;
  /**
   * The smallest window: these operations (the culprit and the ones that completed just before
   * it, in call order) cannot be linearized even with every other operation called by `cut`
   * made unknown. Ids in `windowIds`.
   */
  readonly window: readonly EvidenceOp[];
  readonly windowIds: readonly number[];
  /** The longest linearization the search found, as readable operations in order. */
  readonly longestLinearization: readonly EvidenceOp[];
  readonly sentence: string;
}

const SEARCHES_MAX = 40;

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

const retOf = (o: LinOp<unknown, unknown>) => (o.unknown ? Infinity : o.ret);

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

export interface EvidenceOptions {
  readonly formatTime?: (t: number) => string;
}

export function buildEvidence<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
  partition: string,
  longestIds: readonly number[],
  failingStates: number,
  options: EvidenceOptions = {},
): LinEvidence {
  let searches = 0;
  // A trial search may explore a few times what the verdict took; one that runs out counts as
  // "not shown to fail", so the prefix and window only ever shrink to ones proven to fail.
  const perSearch = Math.min(2_000_000, Math.max(50_000, 4 * failingStates));
  const fails = (subset: readonly LinOp<I, O>[]): boolean => {
    searches++;
    const pruned =
      model.prune !== undefined && subset.some((o) => o.unknown)
        ? applyPruning(subset, model.prune(subset))
        : subset;
    return searchLinearization(pruned, model, { statesMax: perSearch }).verdict === 'violation';
  };
  const byRet = ops.filter((o) => !o.unknown).sort((a, b) => retOf(a) - retOf(b) || a.id - b.id);
  const cutAt = (k: number) =>
    cutHistory(ops, new Set(byRet.slice(0, k).map((o) => o.id)), (byRet[k - 1] as LinOp<I, O>).ret);
  let lo = 1;
  let hi = byRet.length;
  while (lo < hi && searches < SEARCHES_MAX) {
    const mid = (lo + hi) >>> 1;
    if (fails(cutAt(mid))) hi = mid;
    else lo = mid + 1;
  }
  const prefix = byRet.slice(0, hi);
  const culprit = prefix[prefix.length - 1] as LinOp<I, O>;
  const cut = culprit.ret;
  // The window: the latest start s such that prefix[s..] fails with everything before it unknown.
  let wLo = 0;
  let wHi = prefix.length - 1;
  while (wLo < wHi && searches < 2 * SEARCHES_MAX) {
    const mid = (wLo + wHi + 1) >>> 1;
    if (fails(cutHistory(ops, new Set(prefix.slice(mid).map((o) => o.id)), cut))) wLo = mid;
    else wHi = mid - 1;
  }
  const windowOps = prefix.slice(wLo).sort((a, b) => a.call - b.call || a.id - b.id);
  const fmt = options.formatTime ?? String;
  const show = (o: LinOp<I, O>): EvidenceOp => ({
    id: o.id,
    client: o.client,
    text: model.describe(o.input, o.output, o.unknown),
    call: o.call,
    ret: o.unknown || !Number.isFinite(o.ret) ? null : o.ret,
    ...(o.line !== undefined ? { line: o.line } : {}),
  });
  const byId = new Map(ops.map((o) => [o.id, o]));
  const longest = longestIds.map((id) => show(byId.get(id) as LinOp<I, O>));
  const before = ops
    .filter((o) => !o.unknown && o.ret < culprit.call)
    .sort((a, b) => a.ret - b.ret || a.id - b.id);
  const concurrent = ops
    .filter((o) => o !== culprit && o.call <= culprit.ret && retOf(o) >= culprit.call)
    .sort((a, b) => a.call - b.call || a.id - b.id);
  // Prefer a reason inside the window, the operations the evidence shows; else any earlier one.
  const inWindow = new Set(windowOps.map((o) => o.id));
  const specific =
    model.explain?.({
      culprit,
      before: before.filter((o) => inWindow.has(o.id)),
      concurrent,
      time: fmt,
    }) ?? model.explain?.({ culprit, before, concurrent, time: fmt });
  const where = partition === '' ? '' : ` (key ${partition})`;
  const generic = `${show(culprit).text} by ${culprit.client} at ${when(show(culprit), fmt)}${where} cannot be linearized: ${
    prefix.length === 1
      ? 'nothing completed before it, and it is impossible from the initial state'
      : `the ${prefix.length - 1} operations that completed before it can be, but no order that respects real time then gives it its result`
  }`;
  return {
    partition,
    culprit: show(culprit),
    prefix: prefix.map((o) => o.id),
    cut,
    window: windowOps.map(show),
    windowIds: windowOps.map((o) => o.id),
    longestLinearization: longest,
    sentence: specific === undefined ? generic : `${specific}${where}`,
  };
}

function when(o: EvidenceOp, fmt: (t: number) => string): string {
  const span =
    o.ret === null ? `from ${fmt(o.call)}, never answered` : `${fmt(o.call)}–${fmt(o.ret)}`;
  return o.line !== undefined && o.line !== o.call ? `${span} (line ${o.line})` : span;
}
