/**
 * Convergence: strong eventual consistency (Shapiro, Preguiça, Baquero, Zawirski 2011). Once the
 * faults have healed and the gossip has had the healed phase to go quiet, every replica holds the
 * same state (compared by hash; the first key or element that differs is named by the data
 * type's `diff`), and that state's value is the data type's specification of the updates the
 * replicas applied (Burckhardt et al. 2014) — which must include every acknowledged update and no
 * failed one. So a counter is the sum of its updates, an add-wins set holds exactly the adds no
 * remove had seen, and a multi-value register keeps every concurrent write until a client that
 * read them all writes over them. The value is also held, with no help from the protocol, to the
 * bounds the history alone gives (convergence-history.ts), and every final read to the state of
 * the replica it read. The result says how long after healing the replicas converged, in virtual
 * time: the last change of any replica's state.
 *
 * What it reads is the protocol's (core/replica-set.ts): a run whose protocol shows no replicas,
 * or whose clients took no update, checked nothing, and says so (`unknown`), never `ok`.
 */
import type { History, Operation } from '../core/history.js';
import { stableStringify } from '../core/encoding.js';
import { isReplicaRead, REPLICATED_WORKLOADS } from '../core/replicated-ops.js';
import {
  isPerKey,
  type ReplicaSet,
  type ReplicaView,
  updateDot,
  versionCovers,
} from '../core/replica-set.js';
import { formatDuration, type Micros } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';
import {
  appliedAgainstHistory,
  opText,
  updatesOf,
  valueOutsideHistory,
} from './convergence-history.js';
import { checkKeyedConvergence } from './convergence-keys.js';

/** The key-value workload of a store whose replicas are per key (convergence-keys.ts). */
const KEYED_WORKLOADS: readonly string[] = ['kv-context'];
const WORKLOADS = [...REPLICATED_WORKLOADS, ...KEYED_WORKLOADS];

type FormatOp = (op: Operation) => string;

export const convergenceChecker: CheckerDefinition = {
  name: 'convergence',
  summary:
    'after healing every replica holds the same state, whose value is the data type’s specification of the updates applied, every acknowledged one among them',
  appliesTo: 'replicated-data workloads (counter, set, register, text) and per-key kv-context',
  fits: (scope) =>
    WORKLOADS.includes(scope.workload.name)
      ? undefined
      : `it reads replicated-data histories (${WORKLOADS.join(', ')}), not ${scope.workload.name}`,
  check: (run) => {
    const healedAtUs = run.healedAtUs ?? 0;
    if (run.replicas !== undefined && isPerKey(run.replicas))
      return [checkKeyedConvergence(run.history, run.replicas, healedAtUs, run.formatOp)];
    return [checkConvergence(run.history, run.replicas, healedAtUs, run.formatOp)];
  },
};

/** A value short enough for one line. */
function brief(value: unknown): string {
  const text = stableStringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

const result = (verdict: CheckResult['verdict'], summary: string, evidence?: unknown) => ({
  checker: 'convergence',
  verdict,
  summary,
  ...(evidence !== undefined ? { evidence } : {}),
});

export function checkConvergence(
  history: History,
  replicas: ReplicaSet | undefined,
  healedAtUs: Micros,
  formatOp: FormatOp,
): CheckResult {
  if (replicas === undefined)
    return result('unknown', 'the protocol shows no replica states: nothing was compared');
  const up = replicas.replicas.filter((r) => r.up);
  const down = replicas.replicas.filter((r) => !r.up).map((r) => r.node);
  const ref = up[0];
  if (ref === undefined) return result('unknown', 'no replica was up when the run ended');
  if (updatesOf(history).length === 0 && replicas.updates.length === 0)
    return result('unknown', 'no client update was taken: there was nothing to converge');
  const evidence = {
    dataType: replicas.dataType,
    replicas: replicas.replicas.map((r) => ({ node: r.node, up: r.up, hash: r.hash })),
    down,
  };
  const problem = divergence(replicas, up) ?? judgeValue(history, replicas, ref, formatOp);
  if (problem !== undefined) return result('violation', problem, evidence);
  const convergedAtUs = Math.max(...up.map((r) => r.changedAtUs));
  const convergenceUs = Math.max(0, convergedAtUs - healedAtUs);
  const summary = agreement(history, replicas, ref, up.length, convergenceUs);
  const full = { ...evidence, convergedAtUs, convergenceUs };
  if (down.length > 0)
    return result('unknown', `${down.join(', ')} down when the run ended; ${summary}`, full);
  return result('ok', summary, full);
}

/** Replicas whose states differ, named with the first difference. */
function divergence(replicas: ReplicaSet, up: readonly ReplicaView[]): string | undefined {
  const ref = up[0] as ReplicaView;
  const other = up.find((r) => r.hash !== ref.hash);
  if (other !== undefined) {
    const count = up.filter((r) => r.hash !== ref.hash).length;
    const where = replicas.diff(ref.node, other.node) ?? 'their encodings';
    return `replicas diverged after healing: ${ref.node} and ${other.node} differ at ${where} (${count} of ${up.length} differ from ${ref.node})`;
  }
  const unlike = up.find((r) => !same(r.applied, ref.applied));
  if (unlike === undefined) return undefined;
  return `replicas hold equal states but applied different updates: ${ref.node} ${brief(ref.applied)}, ${unlike.node} ${brief(unlike.applied)}`;
}

/** The converged value against the specification, the history and the final reads. */
function judgeValue(
  history: History,
  replicas: ReplicaSet,
  ref: ReplicaView,
  formatOp: FormatOp,
): string | undefined {
  const applied = replicas.updates.filter((u) => versionCovers(ref.applied, u));
  const claimed = ref.applied.reduce((n, [, count]) => n + count, 0);
  if (claimed !== applied.length)
    return `the replicas count ${claimed} updates applied (${brief(ref.applied)}), but only ${applied.length} of them were ever taken`;
  const expected = replicas.spec(applied);
  if (!same(expected, ref.value))
    return `the replicas converged to ${brief(ref.value)}, but the ${replicas.dataType} specification of the ${applied.length} updates they applied gives ${brief(expected)}`;
  return (
    againstHistory(history, applied, formatOp) ??
    valueOutsideHistory(history, ref.value) ??
    finalReadMismatch(history, replicas, formatOp)
  );
}

function againstHistory(
  history: History,
  applied: Parameters<typeof appliedAgainstHistory>[1],
  formatOp: FormatOp,
): string | undefined {
  const h = appliedAgainstHistory(history, applied);
  const first = h.lost[0];
  if (first !== undefined)
    return `${h.lost.length} of ${h.acknowledged} acknowledged updates are missing from the converged state (first: ${opText(first, formatOp)})`;
  const failed = h.failedButApplied[0];
  if (failed !== undefined)
    return `${h.failedButApplied.length} updates that failed were applied (first: ${opText(failed, formatOp)})`;
  const invented = h.invented[0];
  if (invented !== undefined)
    return `the replicas applied ${h.invented.length} updates no client asked for (first: ${updateDot(invented)})`;
  return undefined;
}

/** A final read (one per replica) that did not return that replica's state. */
function finalReadMismatch(
  history: History,
  replicas: ReplicaSet,
  formatOp: FormatOp,
): string | undefined {
  for (const op of history) {
    if (op.phase !== 'final' || op.outcome !== 'ok') continue;
    if (!isReplicaRead(op.input as { f: string })) continue;
    const at = replicas.replicas.find((r) => r.node === op.node);
    if (at !== undefined && !same(at.read, op.output))
      return `${formatOp(op)} at ${op.node} returned ${brief(op.output)}, but that replica holds ${brief(at.read)}`;
  }
  return undefined;
}

function agreement(
  history: History,
  replicas: ReplicaSet,
  ref: ReplicaView,
  count: number,
  convergenceUs: Micros,
): string {
  const applied = replicas.updates.filter((u) => versionCovers(ref.applied, u));
  const h = appliedAgainstHistory(history, applied);
  return `${count} replicas converged ${formatDuration(convergenceUs)} after healing to ${brief(ref.value)}, the specification of ${applied.length} updates (${h.acknowledged} acknowledged, ${h.unknownApplied} of ${h.unknown} unknown)`;
}
