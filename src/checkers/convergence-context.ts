/**
 * Causal contexts as the convergence checker reads them: `[node, count]` entries, where a
 * context covers the dot `n1:2` when its count for `n1` is at least 2 (a dotted version vector's
 * causal past, Preguiça et al. 2010).
 */
import type { VersionEntries } from '../core/replica-set.js';

/** Whether the context covers the dot `node:counter`. */
export function contextCovers(context: VersionEntries, dot: string): boolean {
  const at = dot.lastIndexOf(':');
  const node = dot.slice(0, at);
  const counter = Number(dot.slice(at + 1));
  return context.some(([n, c]) => n === node && c >= counter);
}
