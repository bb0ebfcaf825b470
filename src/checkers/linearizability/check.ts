/**
 * Linearizability of a history against a model: split by partition when the model allows it
 * (P-compositionality: a history is linearizable iff each partition's is), search each, and for
 * the first partition that fails build evidence a person can check: the longest prefix that
 * could be linearized, a small window of operations that cannot be, and one sentence.
 */
import type { LinBudget, LinOp, LinResult, LinVerdict, Model, PartitionResult, Pruning } from './types.js';
import { LinearizationSearch, type SliceOutcome } from './search.js';
import { withoutPartitions } from './models/without-partitions.js';
import { buildEvidence, type LinEvidence } from './evidence.js';

export interface CheckOptions extends LinBudget {
  /** Check the whole history as one partition even if the model can split it (for benchmarks). */
  readonly noPartition?: boolean;
  /** Skip evidence (benchmarks); evidence is built by default. */
  readonly evidence?: boolean;
}

export interface LinCheck extends LinResult {
  readonly evidence?: LinEvidence;
}

export function partitionOps<I, O>(ops: readonly LinOp<I, O>[], model: Model<unknown, I, O>, noPartition = false): Map<string, LinOp<I, O>[]> {
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

function applyPruning<I, O>(ops: readonly LinOp<I, O>[], p: Pruning): LinOp<I, O>[] {
  const out: LinOp<I, O>[] = [];
  for (const o of ops) {
    if (p.drop.has(o.id)) continue;
    const by = p.happenedBy?.get(o.id);
    out.push(by === undefined ? o : { ...o, unknown: false, ret: Math.max(by, o.call) });
  }
  return out;
}

/** The first slice each partition's search gets; slices grow fourfold per round. */
const FIRST_SLICE = 2_000;

export function checkLinearizable<S, I, O>(ops: readonly LinOp<I, O>[], partitioned: Model<S, I, O>, options: CheckOptions = {}): LinCheck {
  // Without key-splitting the model must hold every partition's state at once.
  const model = (options.noPartition ? withoutPartitions(partitioned) : partitioned) as Model<S, I, O>;
  const parts = [...partitionOps(ops, partitioned as Model<unknown, I, O>, options.noPartition)].map(([partition, all]) => {
    // Per partition, so a model's pruning sees the operations of one key at a time.
    const pruning = partitioned.prune !== undefined && !options.noPartition ? partitioned.prune(all) : undefined;
    const list = pruning === undefined ? all : applyPruning(all, pruning);
    return { partition, list, search: new LinearizationSearch(list, model), outcome: 'paused' as SliceOutcome | 'unknown' };
  });
  const statesMax = options.statesMax ?? Infinity;
  let stopped = false;
  const shouldStop = options.shouldStop === undefined ? undefined : () => (stopped ||= options.shouldStop!());
  let violated: (typeof parts)[number] | undefined;
  // Round-robin in growing slices: a violation in a cheap partition ends the check early.
  for (let slice = FIRST_SLICE; violated === undefined && !stopped && parts.some((p) => p.outcome === 'paused'); slice *= 4) {
    for (const p of parts) {
      if (p.outcome !== 'paused') continue;
      const room = statesMax - p.search.states;
      p.outcome = p.search.run(Math.min(slice, room), shouldStop);
      if (p.outcome === 'paused' && (p.search.states >= statesMax || stopped)) p.outcome = 'unknown';
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
      states: p.search.states,
      ...(verdict === 'ok' ? {} : { longestLinearization: p.search.longest.map((i) => (p.list[i] as LinOp<I, O>).id) }),
    };
  });
  const failingIndex = violated !== undefined ? parts.indexOf(violated) : results.findIndex((r) => r.verdict === 'unknown');
  const failing = failingIndex >= 0 ? results[failingIndex] : undefined;
  const verdict: LinVerdict = violated !== undefined ? 'violation' : failing !== undefined ? 'unknown' : 'ok';
  // Partitions left undecided once a violation is found are not reported as unknown: the verdict is in.
  const partitions = violated !== undefined ? results.filter((r, i) => i === failingIndex || parts[i]!.outcome !== 'paused') : results;
  const out: LinCheck = { verdict, partitions, ...(failing ? { failing } : {}) };
  if (violated !== undefined && failing !== undefined && options.evidence !== false) {
    return { ...out, evidence: buildEvidence(violated.list, model, failing, violated.search.states) };
  }
  return out;
}
