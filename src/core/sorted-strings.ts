/**
 * A sorted array of distinct strings kept sorted as names come and go, in the order
 * `Array.prototype.sort` gives strings (UTF-16 code units, which is also `<`'s order): the
 * memtable's keys, a disk's directory listing. A binary search finds the place; a splice opens
 * or closes it, which for the few hundred names these hold is cheaper than sorting again.
 */

/** Index of the first string >= `key` in the sorted `keys` (lower bound). */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds `key` to the sorted `keys` unless it is there already. */
export function insertSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key);
  if (keys[at] !== key) keys.splice(at, 0, key);
}

/** Removes `key` from the sorted `keys` if it is there. */
export function removeSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key);
  if (keys[at] === key) keys.splice(at, 1);
}
