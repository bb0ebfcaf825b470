/**
 * What the durability checker needs to know about deletes (kv-context's `delete`, a write of a
 * tombstone that carries the causal context its client read):
 *
 * - an acknowledged write missing from the final read proves nothing when a delete may have come
 *   after it (one that had not completed before the write began): the delete may have removed it;
 * - a value in the final read is resurrected when an acknowledged delete's context covers the
 *   whole version vector its put was acknowledged with: that delete's client had read the put
 *   (or something after it), so the delete removed it, and values are unique, so no later write
 *   can have brought it back. This is the "reappearance of deleted data" of research catalogue
 *   #26 (a tombstone collected before every replica had it).
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
}

/** The puts among `writes` that an acknowledged delete had read, gone or back. */
export function deleteFates(
  writes: readonly Operation[],
  deletes: readonly Operation[],
  visible: ReadonlySet<string>,
): DeleteFates {
  const acked = deletes.flatMap((d) =>
    d.outcome === 'ok' ? [{ d, seen: vectorOf((d.input as { context: string[] }).context) }] : [],
  );
  const back: { put: Operation; delete: Operation }[] = [];
  let gone = 0;
  for (const put of writes) {
    const v = ackedVector(put);
    const by = v === undefined ? undefined : acked.find((a) => dominates(a.seen, v));
    if (by === undefined) continue;
    if (visible.has((put.input as { value: string }).value)) back.push({ put, delete: by.d });
    else gone++;
  }
  return { gone, back };
}
