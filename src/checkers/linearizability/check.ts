/**
 * Linearizability of a history against a model: split by partition when the model allows it
 * (P-compositionality: a history is linearizable iff each partition's is), search each, and for
 * the first partition that fails build evidence a person can check: the longest prefix that
 * could be linearized, a small window of operations that cannot be, and one sentence.
 */
import type { LinBudget, LinOp, LinResult, LinVerdict, Model, PartitionResult } from './types.js';
import { LinearizationSearch, type SliceOutcome } from './search.js';
import type { SearchMutation } from './search-mutations.js';
import { withoutPartitions } from './models/without-partitions.js';
import { applyPruning, buildEvidence, type EvidenceLevel, type LinEvidence } from './evidence.js';

export interface CheckOptions extends LinBudget {
  /** Check the whole history as one partition even if the model can split it (for benchmarks). */
  readonly noPartition?: boolean;
  /**
   * How much evidence to build for a violation: `false` none (benchmarks), `default` (or true)
   * the cheap parts, `full` the smallest window too. `shouldStop` bounds it as it bounds the search.
   */
  readonly evidence?: boolean | EvidenceLevel;
  /** How the evidence sentence says a time (default: the number as it is, e.g. a line). */
  readonly formatTime?: (t: number) => string;
  /** A deliberately broken search rule, for the tests that must catch it (search-mutations.ts). */
  readonly mutation?: SearchMutation;
}

export interface LinCheck extends LinResult {
  readonly evidence?: LinEvidence;
}

function partitionOps<I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<unknown, I, O>,
  noPartition = false,
): Map<string, LinOp<I, O>[]> {
  const parts = new Map<string, LinOp<I, O>[]>();
  const key = model.partition;
  for (const op of ops) {
    const k = key === undefined || noPartition ? '' : key.call(model, op.input);
    let list = parts.get(k);
    if (list === undefined) {
      list = [];
      parts.set(k, list);
    }
    list.push(op);
  }
  return new Map([...parts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The first slice each partition's search gets; slices grow fourfold per round. */
const FIRST_SLICE = 2_000;

/** Where one partition stands: a search still running, or a verdict already known. */
interface Part<I, O> {
  readonly partition: string;
  readonly list: readonly LinOp<I, O>[];
  /** The partition's operations before pruning: evidence relaxes some, so it must prune afresh. */
  readonly all: readonly LinOp<I, O>[];
  /** Built at the partition's first turn: a violation elsewhere may make it unnecessary. */
  search: LinearizationSearch<unknown, I, O> | undefined;
  outcome: SliceOutcome | 'unknown';
  states: number;
  longest: readonly number[];
  /** Index in `list` of the operation whose return the search got no further than, if any. */
  frontier: number;
}

/**
 * A partition whose operations all completed and follow one another in real time (each returned
 * before the next was called, e.g. one client alone) has exactly one order to try: replay it.
 * Undefined when the operations overlap, and the search is needed.
 */
function replaySequential<S, I, O>(
  list: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
): { outcome: 'ok' | 'violation'; longest: number[] } | undefined {
  let last = -Infinity;
  for (const o of list) {
    if (o.unknown || o.call <= last) return undefined;
    last = o.ret;
  }
  let state = model.init();
  for (let i = 0; i < list.length; i++) {
    const o = list[i] as LinOp<I, O>;
    const next = model.step(state, o.input, o.output, o.unknown);
    if (next === undefined)
      return { outcome: 'violation', longest: Array.from({ length: i }, (_, j) => j) };
    state = next;
  }
  return { outcome: 'ok', longest: Array.from({ length: list.length }, (_, j) => j) };
}

export function checkLinearizable<S, I, O>(
  ops: readonly LinOp<I, O>[],
  partitioned: Model<S, I, O>,
  options: CheckOptions = {},
): LinCheck {
  // Without key-splitting the model must hold every partition's state at once.
  const model = (options.noPartition ? withoutPartitions(partitioned) : partitioned) as Model<
    unknown,
    I,
    O
  >;
  const parts: Part<I, O>[] = [];
  for (const [partition, all] of partitionOps(
    ops,
    partitioned as Model<unknown, I, O>,
    options.noPartition,
  )) {
    // Per partition, so a model's pruning sees the operations of one key at a time; pruning is
    // about unknown operations only, so a partition without any skips it.
    const pruning =
      partitioned.prune !== undefined && !options.noPartition && all.some((o) => o.unknown)
        ? partitioned.prune(all)
        : undefined;
    const list = pruning === undefined ? all : applyPruning(all, pruning);
    const replay = replaySequential(list, model);
    if (replay !== undefined)
      parts.push({
        partition,
        list,
        all,
        search: undefined,
        outcome: replay.outcome,
        states: list.length,
        longest: replay.longest,
        frontier: replay.outcome === 'violation' ? replay.longest.length : -1,
      });
    else
      parts.push({
        partition,
        list,
        all,
        search: undefined,
        outcome: 'paused',
        states: 0,
        longest: [],
        frontier: -1,
      });
  }
  const statesMax = options.statesMax ?? Infinity;
  let stopped = false;
  const shouldStop =
    options.shouldStop === undefined ? undefined : () => (stopped ||= options.shouldStop!());
  let violated: Part<I, O> | undefined = parts.find((p) => p.outcome === 'violation');
  // Round-robin in growing slices: a violation in a cheap partition ends the check early.
  for (
    let slice = FIRST_SLICE;
    violated === undefined && !stopped && parts.some((p) => p.outcome === 'paused');
    slice *= 4
  ) {
    for (const p of parts) {
      if (p.outcome !== 'paused') continue;
      p.search ??= new LinearizationSearch(p.list, model, options.mutation);
      const room = statesMax - p.search.states;
      p.outcome = p.search.run(Math.min(slice, room), shouldStop);
      p.states = p.search.states;
      p.longest = p.search.longest;
      p.frontier = p.search.frontierOp;
      if (p.outcome === 'paused' && (p.search.states >= statesMax || stopped))
        p.outcome = 'unknown';
      if (p.outcome === 'violation') {
        violated = p;
        break;
      }
      if (stopped) break;
    }
  }
  const results: PartitionResult[] = parts.map((p) => {
    // A partition still paused was cut short (by a violation elsewhere, a budget or the clock).
    const verdict: LinVerdict = p.outcome === 'paused' ? 'unknown' : p.outcome;
    return {
      partition: p.partition,
      verdict,
      ops: p.list.length,
      states: p.states,
      ...(verdict === 'ok'
        ? {}
        : { longestLinearization: p.longest.map((i) => (p.list[i] as LinOp<I, O>).id) }),
    };
  });
  const failingIndex =
    violated !== undefined
      ? parts.indexOf(violated)
      : results.findIndex((r) => r.verdict === 'unknown');
  const failing = failingIndex >= 0 ? results[failingIndex] : undefined;
  const verdict: LinVerdict =
    violated !== undefined ? 'violation' : failing !== undefined ? 'unknown' : 'ok';
  // Partitions left undecided once a violation is found are not reported as unknown: the verdict is in.
  const partitions =
    violated !== undefined
      ? results.filter((_r, i) => i === failingIndex || parts[i]!.outcome !== 'paused')
      : results;
  const out: LinCheck = { verdict, partitions, ...(failing ? { failing } : {}) };
  if (violated === undefined || failing === undefined || options.evidence === false) return out;
  // Checked whole (for benchmarks), evidence is still built key by key: the key that fails makes
  // the whole fail, and trial searches over every key at once would try every mix of their
  // unknown operations. (By P-compositionality some key fails; if a budget hides it, go whole.)
  if (options.noPartition && partitioned.partition !== undefined) {
    const split = checkLinearizable(ops, partitioned, { ...options, noPartition: false });
    if (split.evidence !== undefined) return { ...out, evidence: split.evidence };
  }
  const frontier = violated.list[violated.frontier];
  const hints = {
    longestIds: failing.longestLinearization ?? [],
    states: violated.states,
    ...(frontier !== undefined ? { frontierId: frontier.id } : {}),
  };
  const evidence = buildEvidence(violated.all, model, failing.partition, hints, {
    level: options.evidence === 'full' ? 'full' : 'default',
    ...(options.formatTime !== undefined ? { formatTime: options.formatTime } : {}),
    ...(options.shouldStop !== undefined ? { shouldStop: options.shouldStop } : {}),
  });
  return { ...out, evidence };
}
