/**
 * From a field path (`faults.schedule.1.crash`) to a line and column in the file, by walking the
 * YAML syntax tree that `yaml` kept (its nodes carry source offsets; a LineCounter turns offsets
 * into lines). A path that does not exist in the file, such as a missing required field, lands
 * on the nearest part that does: the mapping the field should have been in.
 */
import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { PathSegment } from './scenario-problem.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where `path` is in `doc`: its value, or with `at: 'key'` the key that names it. */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  at: 'value' | 'key' = 'value',
): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      // A key with no value (`max:`) has no value node to point at: use the key.
      const valueStart = rangeStart(pair.value);
      offset = (last && at === 'key' ? keyStart : (valueStart ?? keyStart)) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      const item: unknown = index >= 0 ? node.items[index] : undefined;
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = lineCounter.linePos(offset);
  return { line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}
