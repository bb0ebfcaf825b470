/**
 * The oracle the checker is tested against: a history is serializable when some serial order of
 * its committed transactions, run one at a time against lists that start empty, gives every read
 * of a committed transaction exactly the list it returned. Transactions that may have committed
 * (`info`) are tried both ways; aborted ones (`fail`) never happened. A depth-first search over
 * orders, pruned as soon as a transaction's reads fail: exponential, for small histories only.
 */
import type { Txn } from './txn.js';

/** Histories larger than this are refused: the search is factorial in their size. */
const BRUTE_FORCE_TXNS_MAX = 9;

export function bruteForceSerializable(txns: readonly Txn[]): boolean {
  const live = txns.filter((t) => t.outcome !== 'fail');
  if (live.length > BRUTE_FORCE_TXNS_MAX)
    throw new Error(`brute force takes at most ${BRUTE_FORCE_TXNS_MAX} transactions`);
  const used = new Array<boolean>(live.length).fill(false);
  const state = new Map<string, string[]>();
  const search = (): boolean => {
    // Done when every committed transaction ran; the `info` ones left out did not commit.
    if (live.every((t, i) => used[i] || t.outcome === 'info')) return true;
    for (let i = 0; i < live.length; i++) {
      if (used[i]) continue;
      const t = live[i]!;
      const undo = run(t, state);
      if (undo !== undefined) {
        used[i] = true;
        const found = search();
        used[i] = false;
        undo();
        if (found) return true;
      }
    }
    return false;
  };
  return search();
}

/** Runs `t` on `state`; its undo, or undefined (state untouched) if a read disagrees. */
function run(t: Txn, state: Map<string, string[]>): (() => void) | undefined {
  const appended: string[] = [];
  const undo = () => {
    for (const key of appended.reverse()) state.get(key)!.pop();
  };
  for (const m of t.mops) {
    const list = state.get(m.key) ?? [];
    if (m.f === 'append') {
      state.set(m.key, list);
      list.push(m.value);
      appended.push(m.key);
      continue;
    }
    if (t.outcome !== 'ok' || m.value === null) continue;
    if (m.value.length !== list.length || m.value.some((v, i) => v !== list[i])) {
      undo();
      return undefined;
    }
  }
  return undo;
}
