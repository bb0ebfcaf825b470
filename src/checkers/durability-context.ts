/**
 * The kv-context rule for durability: a Dynamo-style store answers a get with the causal context
 * of the versions it resolved, and that context covers every version the key's replicas ever
 * held or replaced (a put that read a version supersedes it; a last-writer-wins winner takes in
 * the clocks of the versions it beat). So after healing, the final get's context must cover the
 * version vector every acknowledged put was acknowledged with, whether the put's value is still
 * visible or was overwritten: one it does not cover never reached the replicas the final get
 * read, nor anything that replaced it, and is lost.
 *
 * This judges writes the value rule cannot: under last-writer-wins the final value is often a
 * put whose outcome is unknown, and then every missing write "may have been overwritten" by it.
 * It does not apply to a key with deletes: a collected tombstone's clock stays behind as the
 * key's floor, which a get does not return (protocols/dynamo/tombstones.ts).
 */
import type { Operation } from '../core/history.js';

/** `n1:3` entries as a map from node to counter. */
export function vectorOf(entries: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of entries) {
    const at = e.lastIndexOf(':');
    m.set(e.slice(0, at), Number(e.slice(at + 1)));
  }
  return m;
}

/** Whether the clock `a` covers every entry of `b`. */
export function dominates(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>) {
  for (const [node, counter] of b) if ((a.get(node) ?? 0) < counter) return false;
  return true;
}

/** The version vector an acknowledged put was acknowledged with, if the history has one. */
export function ackedVector(put: Operation): Map<string, number> | undefined {
  if (put.outcome !== 'ok' || put.f !== 'put') return undefined;
  const context = (put.output as { readonly context?: readonly string[] } | null)?.context;
  return context === undefined || context.length === 0 ? undefined : vectorOf(context);
}

/** The causal context of a final kv-context get, if it returned one. */
export function finalContext(output: unknown): Map<string, number> | undefined {
  const context = (output as { readonly context?: readonly string[] } | null)?.context;
  return context === undefined ? undefined : vectorOf(context);
}

/**
 * Whether the final get's context leaves out an acknowledged put: `undefined` when the rule does
 * not apply (no context, no acknowledged vector, or deletes on the key).
 */
export function outsideContext(
  put: Operation,
  context: ReadonlyMap<string, number> | undefined,
  deletes: readonly Operation[],
): boolean | undefined {
  const v = ackedVector(put);
  if (v === undefined || context === undefined || deletes.length > 0) return undefined;
  return !dominates(context, v);
}
