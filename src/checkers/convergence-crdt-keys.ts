/**
 * Convergence of a per-key store whose values are CRDTs (dynamo with `resolution: crdt`). The
 * home replicas of each key must hold equal states (convergence-keys.ts compares their hashes);
 * here what they hold is held to the history, key by key, without trusting the CRDT:
 *
 * - every acknowledged update was joined: the state's clock covers the dot its coordinator gave
 *   it, and no update that failed was;
 * - the value agrees with the updates joined, as the history states them: a counter is the sum
 *   of their increments less their decrements; a set holds only elements some joined update
 *   added, and every element added by a joined update and removed by none (add-wins: a remove
 *   takes away only the adds it saw, so only a remove can take an element away).
 */
import type { History, Operation } from '../core/history.js';
import type { KeyedReplicaSet, KeyedWrite, KeyReplica } from '../core/replica-set.js';
import { versionCovers } from '../core/replica-set.js';
import { stableStringify } from '../core/encoding.js';

type FormatOp = (op: Operation) => string;

interface Update {
  readonly f: string;
  readonly by?: number;
  readonly element?: string;
  readonly key?: string;
}

const UPDATES = new Set(['inc', 'dec', 'add', 'remove']);

/**
 * Whether the state joined one of the writes a coordinator made of an operation. A dot a
 * coordinator lost in a crash before it was durable is given again, to a later operation: of the
 * writes holding one dot, only the last can be in a state.
 */
function joined(
  clock: KeyReplica['crdt'],
  writes: readonly KeyedWrite[],
  lastOf: ReadonlyMap<string, number>,
): boolean {
  if (clock === undefined) return false;
  return writes.some((w) => {
    if (lastOf.get(`${w.key} ${w.dot}`) !== w.opId) return false;
    const at = w.dot.lastIndexOf(':');
    const dot = { node: w.dot.slice(0, at), counter: Number(w.dot.slice(at + 1)) };
    return versionCovers(clock.clock, dot);
  });
}

/** The first key whose converged state disagrees with the history, said for a person. */
export function crdtKeyProblem(
  history: History,
  replicas: KeyedReplicaSet,
  formatOp: FormatOp,
): string | undefined {
  const byOp = new Map<number, KeyedWrite[]>();
  const lastOf = new Map<string, number>();
  for (const w of replicas.writes) {
    const of = byOp.get(w.opId);
    if (of === undefined) byOp.set(w.opId, [w]);
    else of.push(w);
    const id = `${w.key} ${w.dot}`;
    lastOf.set(id, Math.max(lastOf.get(id) ?? 0, w.opId));
  }
  const { onKey, keyless } = updatesByKey(history, replicas, byOp);
  for (const { key, homes } of replicas.keys) {
    const ref = homes.find((h) => h.up);
    if (ref?.crdt === undefined) continue;
    const ops = onKey.get(key) ?? [];
    const inState = ops.filter((op) => joined(ref.crdt, byOp.get(op.id) ?? [], lastOf));
    const joinedIds = new Set(inState.map((op) => op.id));
    const lost = ops.find((op) => op.outcome === 'ok' && !joinedIds.has(op.id));
    if (lost !== undefined)
      return `${key}: the acknowledged ${formatOp(lost)} is not in the state its home replicas converged to (${ref.node}'s clock ${clockText(ref)})`;
    const failed = inState.find((op) => op.outcome === 'fail');
    if (failed !== undefined) return `${key}: ${formatOp(failed)} failed but was applied`;
    const wrong = valueProblem(inState, ref.crdt.read);
    if (wrong !== undefined) return `${key}: ${wrong}`;
  }
  const undotted = keyless.find((op) => op.outcome === 'ok');
  if (undotted !== undefined)
    return `the acknowledged ${formatOp(undotted)} names no key the store holds and was given no dot`;
  return undefined;
}

/**
 * The updates of the history grouped by the key they went to, in one pass. An update names its
 * key when its workload spreads keys; one that names none (a workload with no keys) went to the
 * key the store's writes of it name, or, given no dot, to the store's only key. Updates left
 * with no key the store holds are `keyless`: none of them can be in a state.
 */
function updatesByKey(
  history: History,
  replicas: KeyedReplicaSet,
  byOp: ReadonlyMap<number, readonly KeyedWrite[]>,
): { onKey: Map<string, Operation[]>; keyless: Operation[] } {
  const held = new Set(replicas.keys.map((k) => k.key));
  const only = replicas.keys.length === 1 ? replicas.keys[0]?.key : undefined;
  const onKey = new Map<string, Operation[]>();
  const keyless: Operation[] = [];
  for (const op of history) {
    if (!UPDATES.has(op.f)) continue;
    const key = (op.input as Update).key ?? byOp.get(op.id)?.[0]?.key ?? only;
    if (key === undefined || !held.has(key)) keyless.push(op);
    else {
      const ops = onKey.get(key);
      if (ops === undefined) onKey.set(key, [op]);
      else ops.push(op);
    }
  }
  return { onKey, keyless };
}

const clockText = (r: KeyReplica) =>
  (r.crdt?.clock ?? []).map(([n, c]) => `${n}:${c}`).join(' ') || 'empty';

/** The converged value against the updates it joined, as the history gives them. */
export function valueProblem(inState: readonly Operation[], read: unknown): string | undefined {
  const ups = inState.map((op) => op.input as Update);
  if (typeof read === 'number') {
    const sum = ups.reduce((n, u) => n + (u.f === 'inc' ? (u.by ?? 0) : -(u.by ?? 0)), 0);
    if (read === sum) return undefined;
    return `the counter converged to ${read}, but the ${ups.length} updates it joined sum to ${sum}`;
  }
  const held = new Set(read as readonly string[]);
  const added = new Set(ups.filter((u) => u.f === 'add').map((u) => u.element));
  const removed = new Set(ups.filter((u) => u.f === 'remove').map((u) => u.element));
  const invented = [...held].find((e) => !added.has(e));
  if (invented !== undefined)
    return `the set converged to ${stableStringify(read)}, holding ${invented} that no update it joined added`;
  const dropped = [...added].find((e) => e !== undefined && !removed.has(e) && !held.has(e));
  if (dropped !== undefined)
    return `the set converged to ${stableStringify(read)}, without ${dropped}, which an update it joined added and none removed`;
  return undefined;
}
