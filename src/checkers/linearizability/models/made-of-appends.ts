/**
 * For the key/value models' `mayHoldLater`: whether what a read shows after position `at` can
 * be made of values of the appends still able to come before it, in some order. If a value it
 * shows was already appended elsewhere (or by nobody in flight), no order of the appends left
 * gives it, and the search abandons the configuration at once. A value may stand for more than
 * one of its copies here (a relaxation: it never says no where the answer is yes).
 */
import type { KvInput } from '../../../core/history.js';

/**
 * The pending appends' values by length, built once per list the search hands over, and
 * extended in place when the same list has grown (the search grows one list when it checks
 * every read before searching).
 */
interface Index {
  readonly byLength: Map<number, Set<string>>;
  total: number;
  count: number;
}

const indexes = new WeakMap<readonly KvInput[], Index>();

function indexOf(pending: readonly KvInput[]): Index {
  let index = indexes.get(pending);
  if (index === undefined) {
    index = { byLength: new Map(), total: 0, count: 0 };
    indexes.set(pending, index);
  }
  for (; index.count < pending.length; index.count++) {
    const p = pending[index.count] as KvInput;
    if (p.f !== 'append') continue;
    let set = index.byLength.get(p.value.length);
    if (set === undefined) {
      set = new Set();
      index.byLength.set(p.value.length, set);
    }
    set.add(p.value);
    index.total += p.value.length;
  }
  return index;
}

/** Scratch for the search over positions, reused: positions reached, stamped per call. */
let stamps = new Int32Array(256);
let stamp = 0;
let todo = new Int32Array(256);

/** Whether output[at..] is pending values joined by `separator` (a search over positions). */
export function madeOfAppends(
  pending: readonly KvInput[],
  output: string,
  at: number,
  separator = '',
): boolean {
  const { byLength, total } = indexOf(pending);
  const rest = output.length - at;
  // Every value is used at most once: what is left cannot be longer than all of them.
  if (rest > total + separator.length * pending.length) return false;
  if (stamps.length <= rest) {
    stamps = new Int32Array(2 * rest + 2);
    todo = new Int32Array(2 * rest + 2);
  }
  if (stamp === 0x7fffffff) {
    stamps.fill(0);
    stamp = 0;
  }
  stamp++;
  let top = 0;
  todo[top++] = at;
  while (top > 0) {
    const from = todo[--top] as number;
    for (const [length, values] of byLength) {
      // An empty value adds nothing without a separator; with one it adds the separator.
      if (length === 0 && separator === '') continue;
      let end = from + length;
      if (end > output.length || !values.has(output.slice(from, end))) continue;
      if (end === output.length) return true;
      if (separator !== '') {
        if (!output.startsWith(separator, end)) continue;
        end += separator.length;
      }
      if (stamps[end - at] !== stamp) {
        stamps[end - at] = stamp;
        todo[top++] = end;
      }
    }
  }
  return false;
}
