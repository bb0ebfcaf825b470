/**
 * Sorted arrays as sets and maps. Every collection in a CRDT state here is an array kept sorted
 * by a total order on its keys, so a state has one canonical form: iteration, encoding, hashing
 * and equality never depend on the order updates arrived in, and a merge is one linear walk.
 */

/** Compares strings by code unit, the same on every platform and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Walks two sorted arrays together, calling `both`, `onlyA` or `onlyB` for each key and keeping
 * the results that are not undefined, in order.
 */
export function mergeSorted<T, R>(
  a: readonly T[],
  b: readonly T[],
  compare: (x: T, y: T) => number,
  both: (x: T, y: T) => R | undefined,
  onlyA: (x: T) => R | undefined,
  onlyB: (y: T) => R | undefined,
): R[] {
  const out: R[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compare(x, y);
    const r = order < 0 ? onlyA(x as T) : order > 0 ? onlyB(y as T) : both(x as T, y as T);
    if (order <= 0) i++;
    if (order >= 0) j++;
    if (r !== undefined) out.push(r);
  }
  return out;
}

/**
 * The sorted union of two sorted arrays (equal keys kept once, from `a`); `a` or `b` itself when
 * the union is just that array, so merging what a replica already has allocates nothing.
 */
export function unionSorted<T>(
  a: readonly T[],
  b: readonly T[],
  compare: (x: T, y: T) => number,
): readonly T[] {
  if (b.length === 0 || a === b) return a;
  if (a.length === 0) return b;
  const out: T[] = [];
  let fromB = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const order = compare(a[i] as T, b[j] as T);
    if (order <= 0) out.push(a[i++] as T);
    else {
      out.push(b[j++] as T);
      fromB++;
    }
    if (order === 0) j++;
  }
  while (i < a.length) out.push(a[i++] as T);
  while (j < b.length) {
    out.push(b[j++] as T);
    fromB++;
  }
  if (fromB === 0) return a;
  return out.length === b.length ? b : out;
}

/** Binary search: the index of `key` in `sorted`, or -(insertion point) - 1. */
export function search<T, K>(
  sorted: readonly T[],
  key: K,
  compare: (x: T, k: K) => number,
): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const order = compare(sorted[mid] as T, key);
    if (order === 0) return mid;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/**
 * The first key where two sorted arrays differ, said by `describe` (a key present on one side
 * only, or present on both with `differ` saying how), or undefined when they are the same.
 */
export function firstDifference<T>(
  a: readonly T[],
  b: readonly T[],
  compare: (x: T, y: T) => number,
  differ: (x: T, y: T) => string | undefined,
  describe: (x: T) => string,
): string | undefined {
  const n = Math.max(a.length, b.length);
  let i = 0;
  let j = 0;
  for (let step = 0; step < 2 * n; step++) {
    const x = a[i];
    const y = b[j];
    if (x === undefined && y === undefined) return undefined;
    const order = x === undefined ? 1 : y === undefined ? -1 : compare(x, y);
    if (order < 0) return `${describe(x as T)}: only in the first`;
    if (order > 0) return `${describe(y as T)}: only in the second`;
    const d = differ(x as T, y as T);
    if (d !== undefined) return `${describe(x as T)}: ${d}`;
    i++;
    j++;
  }
  return undefined;
}
