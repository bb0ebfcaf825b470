/**
 * The convergence checker's judgement of a converged value against what clients saw, with no
 * help from the protocol's bookkeeping: every acknowledged update is among those the replicas
 * applied, no failed one is, and none was applied that no client asked for; and the value stays
 * within what the history allows — a counter between the sum of its acknowledged increments and
 * decrements with every unknown one left out and with all of them in, a set holding every
 * element acknowledged added and never removed and nothing never added, a register holding only
 * values some client put.
 */
import type { History, Operation } from '../core/history.js';
import { isReplicaRead } from '../core/replicated-ops.js';
import type { ReplicaUpdate } from '../core/replica-set.js';
import { formatDuration } from '../core/time.js';

/** How one operation of the workload prints: `inc(3)`. */
type FormatOp = (op: Operation) => string;

/** An update operation of the history, as a finding names it. */
export const opText = (op: Operation, formatOp: FormatOp): string =>
  `${formatOp(op)} by ${op.client}${op.node === undefined ? '' : ` at ${op.node}`}${
    op.completeUs === undefined ? '' : `, ${op.outcome} at ${formatDuration(op.completeUs)}`
  }`;

export interface AppliedAgainstHistory {
  /** Acknowledged updates the replicas did not apply. */
  readonly lost: readonly Operation[];
  /** Updates that failed, yet applied. */
  readonly failedButApplied: readonly Operation[];
  /** Applied updates no client operation asked for. */
  readonly invented: readonly ReplicaUpdate[];
  readonly acknowledged: number;
  /** Unknown-outcome updates, and how many of them the replicas applied. */
  readonly unknown: number;
  readonly unknownApplied: number;
}

export const updatesOf = (history: History): Operation[] =>
  history.filter((op) => !isReplicaRead(op.input as { f: string }));

export function appliedAgainstHistory(
  history: History,
  applied: readonly ReplicaUpdate[],
): AppliedAgainstHistory {
  const byOp = new Map(applied.map((u) => [u.opId, u]));
  const lost: Operation[] = [];
  const failedButApplied: Operation[] = [];
  let acknowledged = 0;
  let unknown = 0;
  let unknownApplied = 0;
  const updates = updatesOf(history);
  for (const op of updates) {
    const taken = byOp.has(op.id);
    if (op.outcome === 'ok') {
      acknowledged++;
      if (!taken) lost.push(op);
    } else if (op.outcome === 'fail') {
      if (taken) failedButApplied.push(op);
    } else {
      unknown++;
      if (taken) unknownApplied++;
    }
  }
  const asked = new Set(updates.map((op) => op.id));
  const invented = applied.filter((u) => !asked.has(u.opId));
  return { lost, failedButApplied, invented, acknowledged, unknown, unknownApplied };
}

/** Why the value is outside what the history allows, or undefined. */
export function valueOutsideHistory(history: History, value: unknown): string | undefined {
  const updates = updatesOf(history).filter((op) => op.outcome !== 'fail');
  const f = new Set(updates.map((op) => op.f));
  if (f.has('inc') || f.has('dec')) return counterOutside(updates, value);
  if (f.has('add') || f.has('remove')) return setOutside(updates, value);
  if (f.has('put')) return registerOutside(updates, value);
  return undefined;
}

function counterOutside(updates: readonly Operation[], value: unknown): string | undefined {
  let low = 0;
  let high = 0;
  for (const op of updates) {
    const by = (op.input as { by: number }).by * (op.f === 'dec' ? -1 : 1);
    if (op.outcome === 'ok' || by < 0) low += by;
    if (op.outcome === 'ok' || by > 0) high += by;
  }
  if (typeof value === 'number' && value >= low && value <= high) return undefined;
  const range = low === high ? `exactly ${low}` : `between ${low} and ${high}`;
  return `the counter reads ${JSON.stringify(value)}, but the acknowledged increments and decrements, with the unknown ones in or out, make it ${range}`;
}

function setOutside(updates: readonly Operation[], value: unknown): string | undefined {
  const present = new Set(Array.isArray(value) ? (value as string[]) : []);
  const element = (op: Operation) => (op.input as { element: string }).element;
  const added = new Set(updates.filter((op) => op.f === 'add').map(element));
  const removed = new Set(updates.filter((op) => op.f === 'remove').map(element));
  const invented = [...present].filter((e) => !added.has(e)).sort();
  if (invented.length > 0) return `the set holds ${invented.join(', ')}, which no client added`;
  const kept = updates.filter((op) => op.f === 'add' && op.outcome === 'ok').map(element);
  const missing = [...new Set(kept)].filter((e) => !removed.has(e) && !present.has(e)).sort();
  if (missing.length === 0) return undefined;
  return `the set lacks ${missing.join(', ')}, acknowledged added and never removed`;
}

function registerOutside(updates: readonly Operation[], value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : value === null ? [] : [value];
  const put = new Set(updates.map((op) => JSON.stringify((op.input as { value: unknown }).value)));
  const invented = values.map((v) => JSON.stringify(v)).filter((v) => !put.has(v));
  if (invented.length === 0) return undefined;
  return `the register holds ${invented.join(', ')}, which no client put`;
}
