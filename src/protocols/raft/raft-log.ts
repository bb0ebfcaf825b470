/**
 * The in-memory Raft log: entries after the last snapshot, addressed by their 1-based Raft index.
 *
 * Besides the entries it keeps a chain hash per index, `chain(i) = mix(chain(i-1), term(i),
 * digest(i))`, computed by this node over its own log. Two logs that hold an entry with the same
 * index and term must agree on everything before it (the Log Matching property), so their chains
 * at that index must be equal: the cluster observer checks Raft's safety properties by comparing
 * one number instead of two logs. The chain is ghost state, as in verification: nothing the
 * protocol decides depends on it. `changedFrom` tells the observer where the log changed since
 * it last looked.
 */
import { assert } from '../../core/assert.js';
import type { Entry } from './messages.js';

export class RaftLog {
  /** Index, term and chain of the last entry folded into the snapshot (0 when none). */
  snapshotIndex = 0;
  snapshotTerm = 0;
  snapshotChain = 0;
  private entries: Entry[] = [];
  private chains: number[] = [];
  /** Lowest index changed since the observer last looked (ghost; Infinity when unchanged). */
  changedFrom = Number.POSITIVE_INFINITY;

  get lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  get lastTerm(): number {
    return this.entries.length === 0
      ? this.snapshotTerm
      : (this.entries[this.entries.length - 1] as Entry).term;
  }

  /** The term at `index`; 0 at index 0; undefined past the end or inside the snapshot. */
  termAt(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    return this.entries[index - this.snapshotIndex - 1]?.term;
  }

  entry(index: number): Entry | undefined {
    return this.entries[index - this.snapshotIndex - 1];
  }

  chainAt(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotChain;
    return this.chains[index - this.snapshotIndex - 1];
  }

  append(e: Entry): void {
    assert(e.index === this.lastIndex + 1, () => `append at ${e.index} after ${this.lastIndex}`);
    this.chains.push(mix(this.chainAt(this.lastIndex) ?? 0, e.term, e.digest));
    this.entries.push(e);
    if (e.index < this.changedFrom) this.changedFrom = e.index;
  }

  /** Drops every entry at or after `from`. */
  truncateFrom(from: number): void {
    assert(
      from > this.snapshotIndex,
      () => `truncate at ${from} inside the snapshot (${this.snapshotIndex})`,
    );
    const keep = from - this.snapshotIndex - 1;
    if (keep >= this.entries.length) return;
    this.entries.length = keep;
    this.chains.length = keep;
    if (from < this.changedFrom) this.changedFrom = from;
  }

  /** Up to `max` entries starting at `from` (which must be after the snapshot). */
  slice(from: number, max: number): Entry[] {
    const at = from - this.snapshotIndex - 1;
    return this.entries.slice(at, at + max);
  }

  /** Folds entries up to `index` (which must be in the log) into a snapshot. */
  compactTo(index: number): void {
    if (index <= this.snapshotIndex) return;
    const term = this.termAt(index);
    const chain = this.chainAt(index);
    assert(
      term !== undefined && chain !== undefined,
      () => `compact to ${index} beyond ${this.lastIndex}`,
    );
    const drop = index - this.snapshotIndex;
    this.entries = this.entries.slice(drop);
    this.chains = this.chains.slice(drop);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
    this.snapshotChain = chain;
  }

  /** Replaces the whole log with a snapshot's base (InstallSnapshot with a conflicting log). */
  resetTo(index: number, term: number, chain: number): void {
    this.entries = [];
    this.chains = [];
    this.snapshotIndex = index;
    this.snapshotTerm = term;
    this.snapshotChain = chain;
    this.changedFrom = Math.min(this.changedFrom, index + 1);
  }
}

/**
 * One step of the chain: a 32-bit mix (Murmur3's finalizer) of the previous link, term and
 * digest.
 */
function mix(prev: number, term: number, digest: number): number {
  let h = (prev ^ Math.imul(term, 0x9e3779b1) ^ Math.imul(digest, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit FNV-1a digest of a string (an entry's encoded command). */
export function digestOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
