/**
 * What the durability checker needs to know about deletes: kv-context's `delete`, a write of a
 * tombstone that carries the causal context its client read, and the kv workload's, which
 * carries none (a single copy, or a replicated log, orders it in real time):
 *
 * - an acknowledged write missing from the final read proves nothing when a delete may have come
 *   after it (one that had not completed before the write began): the delete may have removed it;
 * - a value in the final read is resurrected when an acknowledged delete's context covers the
 *   whole version vector its put was acknowledged with: that delete's client had read the put
 *   (or something after it), so the delete removed it, and values are unique, so no later write
 *   can have brought it back. This is the "reappearance of deleted data" of research catalogue
 *   #26 (a tombstone collected before every replica had it);
 * - without a context (kv), an acknowledged delete removed every write acknowledged before it was
 *   invoked: such a value in the final read is resurrected, whatever came after the delete (a
 *   later write carries its own unique value, never the removed one). Research item 25: a
 *   compaction that drops a tombstone while a deeper level still holds the value (leveldb#184).
 *
 * Which rule a delete falls under is read from the key's puts: kv-context's carry a context
 * (empty for a blind put), kv's never do. A kv-context delete with no context, or one that is not
 * a list of `node:counter` entries, cannot come from the workload (it always sends the context
 * of its client's last get, empty if none): a hand-written history passed to `checkDurability`.
 * What such a delete removed is not known, so no value is judged against it; it is counted, and
 * the result says so, rather than judged by the kv rule (which would take it to remove every
 * write acknowledged before it) or thrown on.
 */
import type { Operation } from '../core/history.js';
import { ackedVector, dominates, vectorOf } from './durability-context.js';

/** Whether a delete (not one that failed) may have come after `op`, and removed its value. */
export function mayBeDeleted(op: Operation, deletes: readonly Operation[]): boolean {
  return deletes.some(
    (d) => d.outcome !== 'fail' && (d.completeUs === undefined || d.completeUs >= op.invokeUs),
  );
}

/** How the puts an acknowledged delete had read fared in the final read. */
export interface DeleteFates {
  /** Still gone, as the delete left them: judged, and fine. */
  readonly gone: number;
  /** Back in the final read: each with the delete that removed it. */
  readonly back: readonly { readonly put: Operation; readonly delete: Operation }[];
  /** Acknowledged kv-context deletes with no readable context: what they removed is unknown. */
  readonly unjudged: readonly Operation[];
}

/** The puts among `writes` that an acknowledged delete had read, gone or back. */
export function deleteFates(
  writes: readonly Operation[],
  deletes: readonly Operation[],
  visible: ReadonlySet<string>,
): DeleteFates {
  const contextual = writes.some((w) => 'context' in (w.input as object));
  const acked: Removal[] = [];
  const unjudged: Operation[] = [];
  for (const d of deletes.filter((o) => o.outcome === 'ok')) {
    const r = removes(d, contextual);
    if (r === undefined) unjudged.push(d);
    else acked.push(r);
  }
  const back: { put: Operation; delete: Operation }[] = [];
  let gone = 0;
  for (const put of writes) {
    const by = acked.find((a) => a.removed(put));
    if (by === undefined) continue;
    if (visible.has((put.input as { value: string }).value)) back.push({ put, delete: by.d });
    else gone++;
  }
  return { gone, back, unjudged };
}

interface Removal {
  readonly d: Operation;
  readonly removed: (put: Operation) => boolean;
}

/**
 * An acknowledged delete, and which writes it certainly removed; undefined for a delete of a
 * key whose puts carry contexts (kv-context) when its own context cannot be read.
 */
function removes(d: Operation, contextual: boolean): Removal | undefined {
  const given = (d.input as { context?: unknown }).context;
  if (given === undefined && !contextual)
    return { d, removed: (put) => acknowledgedBefore(put, d) };
  const context = contextEntries(given);
  if (context === undefined) return undefined;
  const seen = vectorOf(context);
  return {
    d,
    removed: (put) => {
      const v = ackedVector(put);
      return v !== undefined && dominates(seen, v);
    },
  };
}

/** Whether `put` was acknowledged before `d` was invoked: then `d` came after it. */
const acknowledgedBefore = (put: Operation, d: Operation): boolean =>
  put.outcome === 'ok' && put.completeUs !== undefined && put.completeUs < d.invokeUs;

const ENTRY = /^.+:\d+$/;

/** A context as `node:counter` entries, or undefined when it is anything else. */
function contextEntries(context: unknown): readonly string[] | undefined {
  if (!Array.isArray(context)) return undefined;
  return context.every((e) => typeof e === 'string' && ENTRY.test(e)) ? context : undefined;
}
