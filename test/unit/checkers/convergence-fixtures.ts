/**
 * Small hand-made runs for the convergence checker's tests: a counter history and the replica
 * set a protocol's observer would show for it, built so each test changes one thing (a replica
 * that diverged, an update lost, a value the specification does not give).
 */
import type { Operation, OpOutcome, PhaseName } from '../../../src/core/history.js';
import type { ReplicaSet, ReplicaUpdate, ReplicaView } from '../../../src/core/replica-set.js';

let nextId = 0;

/** A counter update (`inc`/`dec` by `by`) or a read, by client c1 at `node`. */
export function op(
  f: 'inc' | 'dec' | 'read',
  by: number,
  outcome: OpOutcome,
  options: { node?: string; phase?: PhaseName; output?: unknown; replica?: number } = {},
): Operation {
  const id = nextId++;
  const input =
    f === 'read'
      ? { f, ...(options.replica !== undefined ? { replica: options.replica } : {}) }
      : { f, by };
  return {
    id,
    client: 'c1',
    f,
    input,
    output: options.output,
    invokeUs: id * 10,
    completeUs: outcome === 'info' ? undefined : id * 10 + 5,
    outcome,
    phase: options.phase ?? 'faulty',
    node: options.node ?? 'n1',
  };
}

/** The update a replica took for a history operation: counters count per node from 1. */
export function took(ops: readonly Operation[]): ReplicaUpdate[] {
  const counts = new Map<string, number>();
  return ops.map((o) => {
    const node = o.node ?? 'n1';
    const counter = (counts.get(node) ?? 0) + 1;
    counts.set(node, counter);
    return { node, counter, opId: o.id, client: o.client, seen: [[node, counter]] };
  });
}

/** Applied-update version vector of a list of updates. */
function versionOf(updates: readonly ReplicaUpdate[]): [string, number][] {
  const max = new Map<string, number>();
  for (const u of updates) max.set(u.node, Math.max(max.get(u.node) ?? 0, u.counter));
  return [...max].sort(([a], [b]) => (a < b ? -1 : 1));
}

export interface FakeReplica {
  readonly node: string;
  readonly value: number;
  readonly applied?: [string, number][];
  readonly hash?: string;
  readonly up?: boolean;
  readonly changedAtUs?: number;
}

/** A counter's replica set: spec is the signed sum of the updates' operations. */
export function counterReplicas(
  history: readonly Operation[],
  updates: readonly ReplicaUpdate[],
  replicas: readonly FakeReplica[],
): ReplicaSet {
  const byOp = new Map(history.map((o) => [o.id, o]));
  const views: ReplicaView[] = replicas.map((r) => ({
    node: r.node,
    up: r.up ?? true,
    hash: r.hash ?? `h${r.value}`,
    value: r.value,
    read: r.value,
    applied: r.applied ?? versionOf(updates),
    changedAtUs: r.changedAtUs ?? 1_000,
  }));
  return {
    dataType: 'pn-counter',
    replicas: views,
    updates,
    diff: (a, b) => {
      const [x, y] = [views.find((v) => v.node === a), views.find((v) => v.node === b)];
      return x?.hash === y?.hash ? undefined : `value ${x?.value} vs ${y?.value}`;
    },
    spec: (chosen) =>
      chosen.reduce((sum, u) => {
        const o = byOp.get(u.opId)?.input as { f: string; by: number };
        return sum + (o.f === 'dec' ? -o.by : o.by);
      }, 0),
  };
}
