/**
 * Evidence for a violation, for a person to read and a test to re-check. The checker finds the
 * shortest prefix of the failing partition (operations in order of completion) that cannot be
 * linearized, by binary search with the search itself. Its last operation is the culprit: every
 * operation that completed before it can be linearized, and nothing that respects real time
 * lets the culprit return what it returned. The window shown around it is the operations in
 * flight with it and the few that completed just before it, the ones a person needs to see why.
 */
import { searchLinearization } from './search.js';
import type { LinOp, Model, PartitionResult } from './types.js';

export interface EvidenceOp {
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
  /** Ids of that prefix, in completion order: it fails, and without the culprit it does not. */
  readonly prefix: readonly number[];
  /** The culprit with the operations in flight with it and the last few before it, in call order. */
  readonly window: readonly EvidenceOp[];
  /** The longest linearization the search found, as readable operations in order. */
  readonly longestLinearization: readonly EvidenceOp[];
  readonly sentence: string;
}

const SEARCHES_MAX = 40;
/** How many operations that completed before the culprit began the window shows. */
const BEFORE_SHOWN = 3;

export function buildEvidence<S, I, O>(ops: readonly LinOp<I, O>[], model: Model<S, I, O>, failing: PartitionResult, failingStates: number): LinEvidence {
  let searches = 0;
  // A trial search may explore a few times what the verdict took; one that runs out counts as
  // "not shown to fail", so the prefix only ever shrinks to one proven non-linearizable.
  const perSearch = Math.min(2_000_000, Math.max(50_000, 4 * failingStates));
  const fails = (subset: readonly LinOp<I, O>[]): boolean => {
    searches++;
    return searchLinearization(subset, model, { statesMax: perSearch }).verdict === 'violation';
  };
  const retOf = (o: LinOp<I, O>) => (o.unknown ? Infinity : o.ret);
  const byRet = [...ops].sort((a, b) => retOf(a) - retOf(b) || a.id - b.id);
  let lo = 1;
  let hi = byRet.length;
  while (lo < hi && searches < SEARCHES_MAX) {
    const mid = (lo + hi) >>> 1;
    if (fails(byRet.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  const prefix = byRet.slice(0, hi);
  const culprit = prefix[prefix.length - 1] as LinOp<I, O>;
  const concurrent = prefix.filter((o) => o !== culprit && retOf(o) >= culprit.call);
  const before = prefix.filter((o) => retOf(o) < culprit.call).slice(-BEFORE_SHOWN);
  const window = [...before, ...concurrent, culprit].sort((a, b) => a.call - b.call || a.id - b.id);
  const show = (o: LinOp<I, O>): EvidenceOp => ({
    id: o.id,
    client: o.client,
    text: model.describe(o.input, o.output, o.unknown),
    call: o.call,
    ret: o.unknown || !Number.isFinite(o.ret) ? null : o.ret,
    ...(o.line !== undefined ? { line: o.line } : {}),
  });
  const byId = new Map(ops.map((o) => [o.id, o]));
  const longest = (failing.longestLinearization ?? []).map((id) => show(byId.get(id) as LinOp<I, O>));
  return {
    partition: failing.partition,
    culprit: show(culprit),
    prefix: prefix.map((o) => o.id),
    window: window.map(show),
    longestLinearization: longest,
    sentence: sentence(show(culprit), before.map(show), concurrent.map(show), prefix.length - 1, failing.partition),
  };
}

function when(o: EvidenceOp): string {
  const span = o.ret === null ? `from ${o.call}, never answered` : `${o.call}–${o.ret}`;
  return o.line !== undefined && o.line !== o.call ? `${span} (line ${o.line})` : span;
}

const list = (ops: readonly EvidenceOp[]) => ops.map((o) => `${o.text} by ${o.client} at ${when(o)}`).join('; ');

function sentence(culprit: EvidenceOp, before: readonly EvidenceOp[], concurrent: readonly EvidenceOp[], earlier: number, partition: string): string {
  const where = partition === '' ? '' : ` (key ${partition})`;
  const head = `${culprit.text} by ${culprit.client} at ${when(culprit)}${where} cannot be linearized`;
  if (earlier === 0) return `${head}: no operation came before it, and it is impossible from the initial state`;
  const parts = [`${head}: the ${earlier} operations that completed before it can be, but no order that respects real time then gives it its result`];
  if (before.length > 0) parts.push(`The last to complete before it began: ${list(before)}`);
  parts.push(concurrent.length > 0 ? `In flight with it: ${list(concurrent)}` : 'Nothing was in flight with it');
  return parts.join('. ');
}
