/**
 * For the key/value models' `mayHoldLater`: whether what a read shows after position `at` can
 * be made of values of the appends still able to come before it, in some order. If a value it
 * shows was already appended elsewhere (or by nobody in flight), no order of the appends left
 * gives it, and the search abandons the configuration at once. A value may stand for more than
 * one of its copies here (a relaxation: it never says no where the answer is yes).
 *
 * The search asks this for many reads in every configuration, so nothing is allocated per
 * question: the appends' values are indexed once per search (by a polynomial hash of the text
 * and its length), each read's output gets its prefix hashes once, and a substring is then
 * looked up by arithmetic and confirmed with `startsWith`.
 */
import type { KvInput } from '../../../core/history.js';
import type { PendingOps } from '../types.js';

const BASE = 0x01000193;

interface Index {
  /** Hash-and-length key → indices in `all` of the appends with a value of that text. */
  readonly byKey: Map<number, number[]>;
  /** The distinct lengths of the values, ascending. */
  readonly lengths: readonly number[];
  /** Prefix hashes of the outputs asked about, by output. */
  readonly outputs: Map<string, Int32Array>;
}

const indexes = new WeakMap<readonly KvInput[], Index>();

/** Powers of BASE modulo 2^32, grown as longer values come. */
let powers = Int32Array.of(1);

function power(n: number): number {
  if (n >= powers.length) {
    const grown = new Int32Array(Math.max(n + 1, 2 * powers.length));
    grown.set(powers);
    for (let i = powers.length; i < grown.length; i++)
      grown[i] = Math.imul(grown[i - 1] as number, BASE);
    powers = grown;
  }
  return powers[n] as number;
}

function prefixHashes(text: string): Int32Array {
  const h = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++)
    h[i + 1] = (Math.imul(h[i] as number, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

const keyOf = (hash: number, length: number) => (hash ^ Math.imul(length + 1, 0x9e3779b1)) | 0;

function indexOf(all: readonly KvInput[]): Index {
  let index = indexes.get(all);
  if (index !== undefined) return index;
  const byKey = new Map<number, number[]>();
  const lengths = new Set<number>();
  all.forEach((input, k) => {
    if (input.f !== 'append') return;
    const h = prefixHashes(input.value);
    const key = keyOf(h[input.value.length] as number, input.value.length);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [k]);
    else list.push(k);
    lengths.add(input.value.length);
  });
  index = { byKey, lengths: [...lengths].sort((a, b) => a - b), outputs: new Map() };
  indexes.set(all, index);
  return index;
}

/** Scratch for the search over positions, reused: positions reached, stamped per call. */
let stamps = new Int32Array(256);
let stamp = 0;
let todo = new Int32Array(256);

/** Whether output[at..] is pending values joined by `separator` (a search over positions). */
export function madeOfAppends(
  pending: PendingOps<KvInput>,
  output: string,
  at: number,
  separator = '',
): boolean {
  const index = indexOf(pending.all);
  let h = index.outputs.get(output);
  if (h === undefined) {
    h = prefixHashes(output);
    index.outputs.set(output, h);
  }
  const rest = output.length - at;
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
    for (const length of index.lengths) {
      // An empty value adds nothing without a separator; with one it adds the separator.
      if (length === 0 && separator === '') continue;
      let end = from + length;
      if (end > output.length) break;
      if (!pendingValueAt(index, pending, h, output, from, length)) continue;
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

/** Whether output[from, from + length) is the value of an append still pending. */
function pendingValueAt(
  index: Index,
  pending: PendingOps<KvInput>,
  h: Int32Array,
  output: string,
  from: number,
  length: number,
): boolean {
  const hash = ((h[from + length] as number) - Math.imul(h[from] as number, power(length))) | 0;
  const ks = index.byKey.get(keyOf(hash, length));
  if (ks === undefined) return false;
  for (const k of ks)
    if (pending.has(k) && output.startsWith((pending.all[k] as { value: string }).value, from))
      return true;
  return false;
}
