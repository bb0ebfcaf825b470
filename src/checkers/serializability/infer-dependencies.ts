/**
 * The dependencies a list-append history implies (Elle, §4.2), per key with version order L
 * (the longest list read):
 *
 * - ww: the writer of each run of values in L before the writer of the next run.
 * - wr: the writer of a read's last value before the reader (the earlier values' writers come
 *   before it through ww).
 * - rw: a reader before the writer of the first value after what it read (skipping its own
 *   appends). A reader that saw all of L (with its own appends) comes before every committed
 *   transaction whose appends to the key no read shows: had they come first, it would have seen
 *   them. Committed means `ok`, or `info` with an append some read shows on any key.
 *
 * The last rule is Elle's anti-dependency on unobserved writes made explicit; with unique
 * appends it makes the graph exact for committed transactions: acyclic (and free of the direct
 * anomalies) exactly when some serial order explains every read, which the property test checks
 * against a brute-force search.
 */
import type { Appends } from './appends.js';
import { DependencyGraph, RW, WR, WW } from './dependency-graph.js';
import type { Observations } from './observations.js';
import type { Txn } from './txn.js';
import type { VersionOrder } from './version-orders.js';

export interface InferOptions {
  /** Which labels to infer (a mutant leaves one out); all three by default. */
  readonly types?: number;
}

export function inferDependencies(
  txns: readonly Txn[],
  observations: Observations,
  appends: Appends,
  orders: ReadonlyMap<string, VersionOrder>,
  options: InferOptions = {},
): DependencyGraph {
  const g = new DependencyGraph(txns.length);
  const types = options.types ?? WW | WR | RW;
  const committed = committedWriters(txns, orders);
  for (const [key, vo] of orders) {
    if ((types & WW) !== 0) writeWrite(g, key, vo);
    const unseen = unobservedWriters(committed, observations, key, vo, appends);
    for (const reader of vo.compatible) {
      const ext = observations[reader]!.get(key)!.ext!;
      if ((types & WR) !== 0) writeRead(g, key, vo, reader, ext);
      if ((types & RW) !== 0) readWrite(g, key, vo, reader, ext, unseen);
    }
  }
  return g;
}

function writeWrite(g: DependencyGraph, key: string, vo: VersionOrder): void {
  for (let i = 1; i < vo.order.length; i++) {
    const a = vo.writers[i - 1]!;
    const b = vo.writers[i]!;
    if (a >= 0 && b >= 0 && a !== b)
      g.add(a, b, WW, { key, value: vo.order[i - 1]!, value2: vo.order[i]! });
  }
}

function writeRead(
  g: DependencyGraph,
  key: string,
  vo: VersionOrder,
  reader: number,
  ext: readonly string[],
): void {
  if (ext.length === 0) return;
  const w = vo.writers[ext.length - 1]!;
  if (w >= 0) g.add(w, reader, WR, { key, value: ext[ext.length - 1]! });
}

function readWrite(
  g: DependencyGraph,
  key: string,
  vo: VersionOrder,
  reader: number,
  ext: readonly string[],
  unseen: readonly Unseen[],
): void {
  let next = ext.length;
  while (next < vo.order.length && vo.writers[next] === reader) next++;
  if (next < vo.order.length) {
    const w = vo.writers[next]!;
    if (w >= 0) g.add(reader, w, RW, { key, value: vo.order[next]! });
    return;
  }
  for (const u of unseen) g.add(reader, u.writer, RW, { key, value: u.value });
}

/** A committed writer none of whose appends to the key any read shows, and its first one. */
interface Unseen {
  readonly writer: number;
  readonly value: string;
}

/**
 * Transactions known to have committed: the `ok` ones, and the `info` ones some read shows (an
 * append that was seen happened, and with it the whole transaction).
 */
function committedWriters(
  txns: readonly Txn[],
  orders: ReadonlyMap<string, VersionOrder>,
): Set<number> {
  const out = new Set<number>();
  txns.forEach((t, pos) => {
    if (t.outcome === 'ok') out.add(pos);
  });
  for (const vo of orders.values()) for (const w of vo.writers) if (w >= 0) out.add(w);
  return out;
}

function unobservedWriters(
  committed: ReadonlySet<number>,
  observations: Observations,
  key: string,
  vo: VersionOrder,
  appends: Appends,
): Unseen[] {
  const inOrder = new Set(vo.writers);
  const out: Unseen[] = [];
  for (const w of appends.writersOf(key)) {
    if (inOrder.has(w) || !committed.has(w)) continue;
    out.push({ writer: w, value: observations[w]!.get(key)!.block[0]! });
  }
  return out;
}
