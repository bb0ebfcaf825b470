/**
 * A bandwidth limit on state transfers (`migrationBytesPerSec`), as CockroachDB's snapshot rate
 * limit (`kv.snapshot_rebalance.max_rate`) bounds what a sending node spends on moving ranges,
 * so migrations do not starve client traffic. Without the option a donor sends a new member the
 * whole `Transfer` at once (transfer.ts) and nothing here runs.
 *
 * With it, a donor cuts what it would have sent into chunks of at most `CHUNK_BYTES` of file
 * data (`TransferChunk`) and queues them on one outbox shared by every transfer it sends: each
 * chunk leaves once its own bytes have had their time on the link (bytes / limit, a timer in
 * virtual time), so a transfer of B bytes takes at least B / limit, and two transfers from one
 * node share its limit. A new member keeps the chunks of each sender apart and, once it holds
 * every chunk of one transfer, goes on exactly as with a whole `Transfer` (storage.ts writes,
 * fsyncs and marks the copy as before).
 *
 * Chunks can be lost. The new member keeps asking every heartbeat as before; a donor ignores
 * a request for a transfer it is still sending, and once that transfer is sent a later request
 * starts it again: the member keeps the chunks it has (the same frozen files give the same
 * chunks: a transfer is named by its source and size) and fills the gaps.
 *
 * Measured, on the donor as it sends the last chunk: the transfer's duration from the request
 * it answered (queueing behind other transfers included) and its bytes, so the metrics show the
 * effective throughput per transfer (transfer-metrics.ts). A survivor's copy of its own files
 * crosses no link and is not limited.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import type { ClusterEffect, TransferChunkMsg, TransferFile } from './messages.js';
import { TRANSFER_BYTES, TRANSFER_US } from './transfer-metrics.js';

export const TRANSFER_PACE = 'transfer-pace';
/** File data per chunk, in bytes: CockroachDB sends snapshots in batches of a few hundred KB,
 * scaled down to the simulator's few-KB shards so a limit shows in tens of chunks. */
export const CHUNK_BYTES = 1024;

type FilePiece = TransferChunkMsg['pieces'][number];

interface Queued {
  readonly to: NodeId;
  readonly msg: TransferChunkMsg;
  readonly bytes: number;
}

/** A donor's outbox and a new member's chunks received, on one storage node. */
export interface Pacing {
  readonly bytesPerSec: number;
  readonly queue: Queued[];
  /** Transfers being sent, by `to ns`, with when they were asked for and their bytes. */
  readonly sending: Map<string, { readonly sinceUs: number; readonly bytes: number }>;
  /** Whether a pace timer is set (one at a time). */
  timerSet: boolean;
  /** Chunks received, by namespace, then by sender. */
  readonly inbox: Map<string, Map<NodeId, Received>>;
}

interface Received {
  readonly stream: string;
  readonly count: number;
  readonly got: Map<number, readonly FilePiece[]>;
}

export const createPacing = (bytesPerSec: number): Pacing => ({
  bytesPerSec,
  queue: [],
  sending: new Map(),
  timerSet: false,
  inbox: new Map(),
});

/** Whether a transfer of `ns` to `to` is still being sent (a repeated request waits). */
export const isSending = (p: Pacing, to: NodeId, ns: string): boolean =>
  p.sending.has(`${to} ${ns}`);

/** Queues `files` for `to` in chunks; the pace timer sends them. */
export function sendPaced(
  p: Pacing,
  to: NodeId,
  ns: string,
  source: string,
  files: readonly TransferFile[],
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const chunks = chunksOf(files);
  const bytes = files.reduce((n, f) => n + f.name.length + f.data.length, 0);
  const stream = `${source}:${bytes}`;
  p.sending.set(`${to} ${ns}`, { sinceUs: ctx.now, bytes });
  for (const [index, pieces] of chunks.entries()) {
    const msg: TransferChunkMsg = {
      type: 'TransferChunk',
      ns,
      stream,
      index,
      count: chunks.length,
      pieces,
    };
    p.queue.push({ to, msg, bytes: pieces.reduce((n, x) => n + x.name.length + x.data.length, 0) });
  }
  armPace(p, fx);
}

/** The pace timer: the head chunk's time on the link is over, send it; arm for the next. */
export function onPaceTimer(p: Pacing, ctx: NodeContext, fx: ClusterEffect[]): void {
  p.timerSet = false;
  const head = p.queue.shift();
  if (head === undefined) return;
  fx.push({ type: 'send', to: head.to, msg: head.msg });
  if (head.msg.index === head.msg.count - 1) {
    const key = `${head.to} ${head.msg.ns}`;
    const t = p.sending.get(key);
    p.sending.delete(key);
    if (t !== undefined) {
      fx.push({ type: 'mark', name: TRANSFER_BYTES, value: t.bytes });
      fx.push({ type: 'mark', name: TRANSFER_US, value: ctx.now - t.sinceUs });
    }
  }
  armPace(p, fx);
}

function armPace(p: Pacing, fx: ClusterEffect[]): void {
  const head = p.queue[0];
  if (p.timerSet || head === undefined) return;
  p.timerSet = true;
  const afterUs = Math.max(1, Math.ceil((head.bytes * 1_000_000) / p.bytesPerSec));
  fx.push({ type: 'setTimer', name: TRANSFER_PACE, afterUs });
}

/**
 * A chunk arrived for `ns`: the whole transfer once every chunk of one sender's is here
 * (undefined before), its files put back together.
 */
export function receiveChunk(
  p: Pacing,
  from: NodeId,
  m: TransferChunkMsg,
): TransferFile[] | undefined {
  const bySender = p.inbox.get(m.ns) ?? new Map<NodeId, Received>();
  p.inbox.set(m.ns, bySender);
  let part = bySender.get(from);
  if (part === undefined || part.stream !== m.stream || part.count !== m.count) {
    part = { stream: m.stream, count: m.count, got: new Map() };
    bySender.set(from, part);
  }
  part.got.set(m.index, m.pieces);
  if (part.got.size < part.count) return undefined;
  p.inbox.delete(m.ns);
  return assemble(part);
}

/** Forgets the chunks of copies no longer awaited. */
export function dropInbox(p: Pacing, awaited: (ns: string) => boolean): void {
  for (const ns of [...p.inbox.keys()]) if (!awaited(ns)) p.inbox.delete(ns);
}

/** Each file cut into pieces, packed in order into chunks of at most `CHUNK_BYTES` of data. */
function chunksOf(files: readonly TransferFile[]): FilePiece[][] {
  const chunks: FilePiece[][] = [[]];
  let room = CHUNK_BYTES;
  for (const f of files) {
    let offset = 0;
    do {
      if (room === 0) {
        chunks.push([]);
        room = CHUNK_BYTES;
      }
      const n = Math.min(room, f.data.length - offset);
      const data = f.data.subarray(offset, offset + n);
      (chunks[chunks.length - 1] as FilePiece[]).push({
        name: f.name,
        offset,
        size: f.data.length,
        data,
      });
      offset += n;
      room -= n;
    } while (offset < f.data.length);
  }
  return chunks;
}

function assemble(part: Received): TransferFile[] {
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < part.count; i++)
    for (const x of part.got.get(i) ?? []) {
      const data = files.get(x.name) ?? new Uint8Array(x.size);
      files.set(x.name, data);
      assert(x.offset + x.data.length <= data.length, () => `${x.name}: a piece past its end`);
      data.set(x.data, x.offset);
    }
  return [...files].map(([name, data]) => ({ name, data }));
}
