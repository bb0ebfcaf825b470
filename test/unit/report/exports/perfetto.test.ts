/**
 * The Perfetto export's flows (report/exports/perfetto.ts): one arrow per delivered copy, each
 * from a start emitted at the send, with ids that no other message's copies share. The network
 * delivers up to three copies of one message (a duplicate and a replay), and a copy lost to a
 * partition or a crashed receiver (a `drop` line) takes its share without an arrow.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPerfetto } from '../../../../src/report/exports/perfetto.js';
import type { RunResult } from '../../../../src/run/run-result.js';

const result = {
  scenario: { name: 'flows' },
  seed: 1,
  endUs: 100,
  stats: { disk: { n1: {}, n2: {} } },
} as unknown as RunResult;

interface TraceEvent {
  readonly ph: string;
  readonly id?: number;
  readonly ts: number;
}

function flows(lines: readonly object[]): TraceEvent[] {
  const dir = mkdtempSync(join(tmpdir(), 'perfetto-'));
  const path = join(dir, 'trace.ndjson');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
  let out = '';
  exportPerfetto(path, result, [], (chunk) => {
    out += chunk;
  });
  return (JSON.parse(out) as { traceEvents: TraceEvent[] }).traceEvents;
}

const send = (t: number, mid: number, copies: number) => ({
  t,
  ev: 'send',
  node: 'n1',
  to: 'n2',
  msg: { type: 'Ping' },
  mid,
  copies,
});
const recv = (t: number, mid: number) => ({ t, ev: 'recv', node: 'n2', from: 'n1', mid });

describe('the Perfetto export', () => {
  it('gives each copy of a thrice-delivered message its own flow, apart from the next message', () => {
    const events = flows([
      send(1, 1, 3),
      send(2, 2, 1),
      recv(5, 1),
      recv(6, 2),
      recv(7, 1),
      { t: 8, ev: 'drop', node: 'n2', from: 'n1', mid: 1, cause: 'partition' },
    ]);
    const starts = events.filter((e) => e.ph === 's');
    const ends = events.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(4);
    expect(new Set(starts.map((e) => e.id)).size).toBe(4);
    expect(ends).toHaveLength(3);
    expect(new Set(ends.map((e) => e.id)).size).toBe(3);
    const startAt = new Map(starts.map((e) => [e.id, e.ts]));
    // Each arrow ends at a receipt of its own message, after its start.
    expect(ends.map((e) => startAt.get(e.id))).toEqual([1, 2, 1]);
  });

  it('gives a message sent once the flow of its one copy', () => {
    const events = flows([send(1, 4, 1), recv(3, 4)]);
    const [start] = events.filter((e) => e.ph === 's');
    const [end] = events.filter((e) => e.ph === 'f');
    expect(end?.id).toBe(start?.id);
  });
});
