/**
 * State transfers under a bandwidth limit (paced-transfer.ts, transfer-metrics.ts): a donor's
 * chunks leave one at a time, each after its own bytes' time on the link, so B bytes take at
 * least B / L; a member puts a transfer back together from chunks in any order, across a
 * resent stream, and keeps senders apart. End to end on cluster-crash seed 1: under a limit
 * every transfer, from the donor's receipt of the request to the member's receipt of the last
 * chunk, takes at least B / L of virtual time, and without one no transfer does.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NodeContext } from '../../../../src/core/protocol.js';
import type {
  ClusterEffect,
  TransferChunkMsg,
  TransferFile,
} from '../../../../src/protocols/cluster/messages.js';
import {
  CHUNK_BYTES,
  createPacing,
  isSending,
  onPaceTimer,
  receiveChunk,
  sendPaced,
} from '../../../../src/protocols/cluster/paced-transfer.js';
import {
  TRANSFER_BYTES,
  TRANSFER_US,
  TransferMetrics,
} from '../../../../src/protocols/cluster/transfer-metrics.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const FILES: TransferFile[] = [
  { name: 'meta', data: bytes(600, 1) },
  { name: 'wal', data: bytes(2500, 2) },
  { name: 'empty', data: bytes(0, 0) },
];
const TOTAL = FILES.reduce((n, f) => n + f.name.length + f.data.length, 0);
const ctxAt = (now: number) => ({ now }) as unknown as NodeContext;

/** Runs the donor's pace timers to the end: each chunk sent and when. */
function drain(limit: number) {
  const p = createPacing(limit);
  const fx: ClusterEffect[] = [];
  sendPaced(p, 'n8', 's3e2', 's3e1', FILES, ctxAt(0), fx);
  const sent: { at: number; msg: TransferChunkMsg }[] = [];
  let now = 0;
  const marks: Record<string, number> = {};
  for (let guard = 0; guard < 100; guard++) {
    const timer = fx.find((e) => e.type === 'setTimer');
    if (timer === undefined || timer.type !== 'setTimer') break;
    now += timer.afterUs;
    fx.length = 0;
    onPaceTimer(p, ctxAt(now), fx);
    for (const e of fx) {
      if (e.type === 'send') sent.push({ at: now, msg: e.msg as TransferChunkMsg });
      if (e.type === 'mark' && e.value !== undefined) marks[e.name] = e.value;
    }
  }
  return { p, sent, marks, end: now };
}

describe('a donor under a bandwidth limit', () => {
  it('sends B bytes in chunks, the last no sooner than B / L', () => {
    const limit = 2000;
    const { p, sent, marks, end } = drain(limit);
    expect(sent.length).toBe(Math.ceil(3100 / CHUNK_BYTES));
    expect(end).toBeGreaterThanOrEqual((TOTAL * 1_000_000) / limit);
    // Not much more: a file name again in each chunk it spans, one µs of rounding per chunk.
    const names = sent.reduce((n, s) => n + s.msg.pieces.reduce((m, x) => m + x.name.length, 0), 0);
    const wire = TOTAL - 'metawalempty'.length + names;
    expect(end).toBeLessThanOrEqual((wire * 1_000_000) / limit + sent.length);
    expect(marks[TRANSFER_BYTES]).toBe(TOTAL);
    expect(marks[TRANSFER_US]).toBe(end);
    expect(isSending(p, 'n8', 's3e2')).toBe(false);
  });

  it('shares one limit between two transfers', () => {
    const p = createPacing(1000);
    const fx: ClusterEffect[] = [];
    sendPaced(p, 'n8', 's3e2', 's3e1', FILES, ctxAt(0), fx);
    sendPaced(p, 'n9', 's4e2', 's4e1', FILES, ctxAt(0), fx);
    expect(isSending(p, 'n9', 's4e2')).toBe(true);
    expect(fx.filter((e) => e.type === 'setTimer')).toHaveLength(1);
    let now = 0;
    let timer = fx.find((e) => e.type === 'setTimer');
    while (timer !== undefined && timer.type === 'setTimer') {
      now += timer.afterUs;
      fx.length = 0;
      onPaceTimer(p, ctxAt(now), fx);
      timer = fx.find((e) => e.type === 'setTimer');
    }
    expect(now).toBeGreaterThanOrEqual((2 * TOTAL * 1_000_000) / 1000);
  });
});

describe('a member receiving chunks', () => {
  const { sent } = drain(1_000_000);
  const chunks = sent.map((s) => s.msg);

  it('puts the files back together from chunks in any order', () => {
    const p = createPacing(1);
    const order = [...chunks].reverse();
    let files: TransferFile[] | undefined;
    for (const m of order) {
      expect(files).toBeUndefined();
      files = receiveChunk(p, 'n4', m);
    }
    expect(files?.map((f) => f.name).sort()).toEqual(['empty', 'meta', 'wal']);
    for (const f of FILES) expect(files?.find((x) => x.name === f.name)?.data).toEqual(f.data);
  });

  it('fills a lost chunk from the resent stream, and keeps senders apart', () => {
    const p = createPacing(1);
    const [first, second, ...rest] = chunks as [TransferChunkMsg, TransferChunkMsg];
    expect(receiveChunk(p, 'n4', first)).toBeUndefined();
    for (const m of rest) expect(receiveChunk(p, 'n4', m)).toBeUndefined();
    // The lost one comes from another sender: no mixing.
    expect(receiveChunk(p, 'n6', second)).toBeUndefined();
    // The first sender's next stream brings it.
    expect(receiveChunk(p, 'n4', second)).toHaveLength(3);
  });

  it('starts over on a stream of other content', () => {
    const p = createPacing(1);
    const [first, second] = chunks as [TransferChunkMsg, TransferChunkMsg];
    expect(receiveChunk(p, 'n4', first)).toBeUndefined();
    expect(receiveChunk(p, 'n4', { ...second, stream: 's3e1:9' })).toBeUndefined();
  });
});

describe('the transfer metrics', () => {
  it('pairs each duration with the bytes marked before it', () => {
    const m = new TransferMetrics();
    m.mark('n4', TRANSFER_BYTES, 1000, 0);
    m.mark('n5', TRANSFER_BYTES, 3000, 0);
    m.mark('n4', TRANSFER_US, 500_000, 0);
    m.mark('n5', TRANSFER_US, 1_000_000, 0);
    const r = m.result();
    expect(r.transferDuration?.count).toBe(2);
    expect(r.transferThroughput?.meanUs).toBe(2500);
    expect(r.transferThroughput?.maxUs).toBe(3000);
    expect(new TransferMetrics().result()).toEqual({});
  });
});

interface Line {
  readonly t: number;
  readonly ev: string;
  readonly node?: string;
  readonly from?: string;
  readonly msg?: {
    readonly type: string;
    readonly ns: string;
    readonly index?: number;
    readonly count?: number;
    readonly stream?: string;
    readonly files?: readonly { readonly name: string; readonly data: string }[];
  };
}

/** `<555 bytes>` as the trace writes a byte array. */
const sizeOf = (data: string) => Number(/^<(\d+) bytes>$/.exec(data)?.[1] ?? Number.NaN);

/**
 * Each transfer a member received whole: its bytes, and the time from the donor's receipt of
 * the request it answered (the earliest not yet answered) to the member's receipt of it (the
 * last chunk, under a limit).
 */
function transfers(lines: readonly Line[]) {
  const asked = new Map<string, number>();
  const out: { bytes: number; us: number }[] = [];
  for (const l of lines) {
    if (l.ev !== 'recv' || l.msg === undefined) continue;
    const { type, ns } = l.msg;
    if (type === 'TransferRequest') {
      const key = `${l.node} ${l.from} ${ns}`;
      if (!asked.has(key)) asked.set(key, l.t);
      continue;
    }
    const key = `${l.from} ${l.node} ${ns}`;
    const since = asked.get(key);
    if (since === undefined) continue;
    if (type === 'Transfer') {
      const files = l.msg.files ?? [];
      const b = files.reduce((n, f) => n + f.name.length + sizeOf(f.data), 0);
      out.push({ bytes: b, us: l.t - since });
      asked.delete(key);
    } else if (type === 'TransferChunk' && l.msg.index === (l.msg.count ?? 0) - 1) {
      out.push({ bytes: Number(l.msg.stream?.split(':')[1]), us: l.t - since });
      asked.delete(key);
    }
  }
  return out;
}

describe('cluster-crash seed 1, with and without a limit', () => {
  const LIMIT = 5000;
  const run = async (limit: number | undefined) => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-crash.yaml'));
    const s =
      limit === undefined
        ? scenario
        : {
            ...scenario,
            options: { ...(scenario.options as object), migrationBytesPerSec: limit },
          };
    const lines: Line[] = [];
    const { result } = runSeed(s, 1, { trace: (l) => lines.push(JSON.parse(l)) });
    return { result, moved: transfers(lines) };
  };

  it('a transfer of B bytes takes at least B / L under the limit, less without it', async () => {
    const limited = await run(LIMIT);
    expect(limited.result.verdict).toBe('valid');
    expect(limited.moved.length).toBeGreaterThan(5);
    for (const t of limited.moved)
      expect(t.us).toBeGreaterThanOrEqual((t.bytes * 1_000_000) / LIMIT);
    expect(limited.result.metrics.transferThroughput?.maxUs).toBeLessThanOrEqual(LIMIT);

    const free = await run(undefined);
    expect(free.result.verdict).toBe('valid');
    expect(free.moved.length).toBeGreaterThan(5);
    for (const t of free.moved) expect(t.us).toBeLessThan((t.bytes * 1_000_000) / LIMIT);
    expect(free.result.metrics.transferDuration).toBeUndefined();
  });
});
