/**
 * Key ranges, for `sharding: range` (CockroachDB's ranges, TiKV's regions): the key space is
 * ordered and each shard holds one range `[start, end)`. The order is shortlex: shorter keys
 * first, then by code unit. For the kv workload's keys `k0..kN` that is their numeric order
 * (`k2 < k10`, where plain string order would put `k10` first), with no parsing: a key of any
 * other shape still has its place. The empty key is the least of all, so a range starting at
 * `''` starts at the beginning; a range with no `end` runs to the end of the key space.
 */

export interface KeyRange {
  /** The range's first key (inclusive); `''` is the start of the key space. */
  readonly start: string;
  /** The first key past the range (exclusive); absent for the last range. */
  readonly end?: string;
}

/** Shortlex order: by length, then by code unit (`k2 < k10 < k11`). */
export function compareKeys(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function rangeHolds(r: KeyRange, key: string): boolean {
  return compareKeys(r.start, key) <= 0 && (r.end === undefined || compareKeys(key, r.end) < 0);
}

/** Whether `key` splits `r` into two non-empty halves: strictly after its start, before its end. */
export const splitsRange = (r: KeyRange, key: string): boolean =>
  compareKeys(r.start, key) < 0 && rangeHolds(r, key);

/** `[start, end)` as the trace prints it (`[k6, k12)`, `[-inf, k6)`, `[k12, +inf)`). */
export function describeRange(r: KeyRange): string {
  return `[${r.start === '' ? '-inf' : r.start}, ${r.end ?? '+inf'})`;
}

/** The ranges `bounds` cut the key space into: `bounds` sorted, each the next range's start. */
export function rangesFromBounds(bounds: readonly string[]): KeyRange[] {
  const sorted = [...bounds].sort(compareKeys);
  return [undefined, ...sorted].map((start, i) => {
    const end = sorted[i];
    return { start: start ?? '', ...(end === undefined ? {} : { end }) };
  });
}
