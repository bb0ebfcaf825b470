/**
 * The version order of each key, read off the lists: every read of a list is a state the key
 * passed through, so the longest read gives a prefix of the key's whole history of appends
 * (Elle, §4.1: "for lists, a single read gives a complete prefix of the version order"). Every
 * other read must be a prefix of it, or the reads disagree (`incompatible-order`).
 *
 * Walking each read also finds what is wrong in it on its own: a value read twice, a value
 * nobody appended (garbage), one only an aborted transaction appended (G1a, aborted read), and
 * a transaction's appends shown in part (G1b, intermediate read: the reader saw a state inside
 * another transaction) or out of their order.
 */
import type { Anomaly } from './anomaly.js';
import { ABORTED_WRITER, type Appends, NO_WRITER } from './appends.js';
import type { Observations } from './observations.js';
import { type Txn, txnName } from './txn.js';

export interface VersionOrder {
  /** The longest list read of the key: a prefix of its version order. */
  readonly order: readonly string[];
  /** Writer position of each value in `order` (NO_WRITER / ABORTED_WRITER where unknown). */
  readonly writers: readonly number[];
  /** Readers whose lists are prefixes of `order` (the others disagree, and are reported). */
  readonly compatible: ReadonlySet<number>;
}

interface Read {
  readonly reader: number;
  readonly list: readonly string[];
}

/** Per key: its version order; anomalies found in reads are added to `anomalies`. */
export function versionOrders(
  txns: readonly Txn[],
  observations: Observations,
  appends: Appends,
  anomalies: Anomaly[],
): Map<string, VersionOrder> {
  const reads = new Map<string, Read[]>();
  observations.forEach((views, reader) => {
    for (const [key, v] of views) {
      if (v.full === undefined) continue;
      const list = reads.get(key);
      if (list === undefined) reads.set(key, [{ reader, list: v.full }]);
      else list.push({ reader, list: v.full });
    }
  });
  const seen = new Set<string>();
  const report = (id: string, a: Anomaly) => {
    if (seen.has(id)) return;
    seen.add(id);
    anomalies.push(a);
  };
  const ctx: ReadContext = { txns, observations, appends, report };
  const orders = new Map<string, VersionOrder>();
  for (const [key, keyReads] of reads) {
    let longest = keyReads[0]!;
    for (const r of keyReads) if (r.list.length > longest.list.length) longest = r;
    const order = longest.list;
    const writers = order.map((v) => appends.writerOf(key, v));
    const compatible = new Set<number>();
    checkRead(key, longest, ctx);
    const seenOf = seenCounts(writers);
    for (const r of keyReads) {
      if (r === longest) compatible.add(r.reader);
      else if (isPrefix(r.list, order)) {
        compatible.add(r.reader);
        // Its values are the longest read's, checked above; only where it stops is new.
        checkEnd(key, r, writers, seenOf, ctx);
      } else {
        report(`io ${key}`, {
          type: 'incompatible-order',
          txns: [txns[r.reader]!, txns[longest.reader]!],
          sentences: [
            `${txnName(txns[r.reader]!)} read key ${key} as [${r.list.join(' ')}] and ${txnName(txns[longest.reader]!)} as [${order.join(' ')}]: neither list extends the other`,
          ],
        });
        checkRead(key, r, ctx);
      }
    }
    orders.set(key, { order, writers, compatible });
  }
  return orders;
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface ReadContext {
  readonly txns: readonly Txn[];
  readonly observations: Observations;
  readonly appends: Appends;
  /** Adds an anomaly once per id: the same G1b is seen by every reader of the state. */
  readonly report: (id: string, a: Anomaly) => void;
}

/** For each position of a list, how many of its writer's values the list holds up to there. */
function seenCounts(writers: readonly number[]): Int32Array {
  const counts = new Map<number, number>();
  const out = new Int32Array(writers.length);
  writers.forEach((w, i) => {
    const n = (counts.get(w) ?? 0) + 1;
    counts.set(w, n);
    out[i] = n;
  });
  return out;
}

/** A read that is a prefix of the version order and stops inside another transaction: G1b. */
function checkEnd(
  key: string,
  r: Read,
  writers: readonly number[],
  seenOf: Int32Array,
  ctx: ReadContext,
): void {
  const n = r.list.length;
  if (n === 0) return;
  const w = writers[n - 1]!;
  if (w < 0 || w === r.reader) return;
  const block = ctx.observations[w]!.get(key)!.block;
  if (seenOf[n - 1]! < block.length)
    ctx.report(
      `g1b ${key} ${w}`,
      intermediate(key, r.list[n - 1]!, block, ctx.txns[w]!, ctx.txns[r.reader]!),
    );
}

/** The anomalies one read shows on its own. */
function checkRead(key: string, r: Read, ctx: ReadContext): void {
  const { txns, appends, report } = ctx;
  const reader = txns[r.reader]!;
  const inRead = new Set<string>();
  for (const value of r.list) {
    if (inRead.has(value))
      report(`de ${r.reader} ${key}`, {
        type: 'duplicate-elements',
        txns: [reader],
        sentences: [`${txnName(reader)} read key ${key} with ${value} in it twice`],
      });
    inRead.add(value);
    const w = appends.writerOf(key, value);
    if (w === NO_WRITER)
      report(`gr ${key} ${value}`, {
        type: 'garbage-read',
        txns: [reader],
        sentences: [
          `${txnName(reader)} read ${value} in key ${key}, which no transaction appended`,
        ],
      });
    else if (w === ABORTED_WRITER) {
      const aborted = appends.abortedWriters(key, value);
      report(`g1a ${key} ${value}`, {
        type: 'G1a',
        txns: [reader, ...aborted],
        sentences: [
          `${txnName(reader)} read ${value} in key ${key}, appended by ${aborted.map(txnName).join(', ')}, which aborted`,
        ],
      });
    }
  }
  checkRuns(key, r, ctx);
}

/**
 * Each writer's values in a read must be a run of its block, in its order; a run that stops
 * inside the block, with no more of the writer's values after it, is a state inside that
 * transaction (G1b). A writer whose values come back later in the list is left to the
 * dependency graph: its write-write dependencies make a cycle (G0).
 */
function checkRuns(key: string, r: Read, ctx: ReadContext): void {
  const list = r.list;
  const ws = list.map((v) => ctx.appends.writerOf(key, v));
  const lastAt = new Map<number, number>();
  for (let i = 0; i < ws.length; i++) lastAt.set(ws[i]!, i);
  const consumed = new Map<number, number>();
  let i = 0;
  while (i < list.length) {
    const w = ws[i]!;
    let j = i + 1;
    while (j < list.length && w >= 0 && ws[j] === w) j++;
    if (w >= 0) {
      const block = ctx.observations[w]!.get(key)!.block;
      const offset = consumed.get(w) ?? 0;
      consumed.set(w, offset + (j - i));
      for (let k = i; k < j; k++)
        if (block[offset + k - i] !== list[k]) {
          ctx.report(`io ${key}`, outOfOrder(key, r, ctx.txns[w]!, block, ctx.txns));
          return;
        }
      const more = lastAt.get(w)! >= j;
      if (offset + (j - i) < block.length && !more && w !== r.reader)
        ctx.report(
          `g1b ${key} ${w}`,
          intermediate(key, list[j - 1]!, block, ctx.txns[w]!, ctx.txns[r.reader]!),
        );
    }
    i = j;
  }
}

function outOfOrder(key: string, r: Read, writer: Txn, block: string[], txns: readonly Txn[]) {
  const reader = txns[r.reader]!;
  return {
    type: 'incompatible-order' as const,
    txns: [reader, writer],
    sentences: [
      `${txnName(reader)} read key ${key} as [${r.list.join(' ')}], which does not hold ${txnName(writer)}'s appends [${block.join(' ')}] in their order`,
    ],
  };
}

function intermediate(key: string, last: string, block: string[], writer: Txn, reader: Txn) {
  return {
    type: 'G1b' as const,
    txns: [reader, writer],
    sentences: [
      `${txnName(reader)} read key ${key} ending in ${last}, an intermediate state of ${txnName(writer)}, which appended [${block.join(' ')}]`,
    ],
  };
}
