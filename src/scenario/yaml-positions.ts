/**
 * From a field path (`faults.schedule.1.crash`) to a line and column in the file, through the
 * YAML syntax tree that `yaml` kept (its nodes carry source offsets; a LineCounter turns offsets
 * into lines). A path that does not exist in the file, such as a missing required field, lands
 * on the nearest part that does: the mapping the field should have been in.
 *
 * The tree is walked once into an index from path to offsets, so locating thousands of problems
 * (30,000 unknown keys) costs a lookup each, not a walk of the document each.
 */
import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { PathSegment } from './scenario-problem.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface Offsets {
  /** Where the key that names the field starts (map entries only). */
  readonly key: number | undefined;
  /** Where its value starts; undefined for a key with no value (`max:`). */
  readonly value: number | undefined;
}

/** A character no key of a scenario contains, to join path segments into one index key. */
const SEP = '\u0000';

export class DocumentPositions {
  private index: Map<string, Offsets> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Where `path` is: its value, or with `at: 'key'` the key that names it. */
  of(path: readonly PathSegment[], at: 'value' | 'key' = 'value'): Position {
    const index = this.buildIndex();
    let offset = rangeStart(this.doc.contents) ?? 0;
    let prefix = '';
    for (let i = 0; i < path.length; i++) {
      prefix = i === 0 ? String(path[i]) : `${prefix}${SEP}${String(path[i])}`;
      const found = index.get(prefix);
      if (found === undefined) break;
      const last = i === path.length - 1;
      offset = (last && at === 'key' ? found.key : (found.value ?? found.key)) ?? offset;
    }
    const pos = this.lineCounter.linePos(offset);
    return { line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
  }

  private buildIndex(): Map<string, Offsets> {
    if (this.index !== undefined) return this.index;
    const index = new Map<string, Offsets>();
    // The document is at most SCENARIO_NESTING_MAX deep (scenario-text.ts), so recursion is safe.
    const walk = (node: unknown, prefix: string | undefined): void => {
      const at = (seg: string) => (prefix === undefined ? seg : `${prefix}${SEP}${seg}`);
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = at(String(pair.key.value));
          // The first of repeated keys wins, as a search from the top would find it.
          if (index.has(key)) continue;
          index.set(key, { key: rangeStart(pair.key), value: rangeStart(pair.value) });
          walk(pair.value, key);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const key = at(String(i));
          index.set(key, { key: undefined, value: rangeStart(item) });
          walk(item, key);
        });
      }
    };
    walk(this.doc.contents, undefined);
    this.index = index;
    return index;
  }
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}
