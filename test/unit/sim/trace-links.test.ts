/**
 * The written trace links what the report draws: every receipt names the id of a send, every
 * message sent is received, dropped with a cause, or still in flight when the run ends, and a
 * duplicated message is received (or dropped) twice under one id. The counts agree with the
 * network's own statistics, and a trace file changes nothing the hash folds.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/runner/load-scenario.js';
import { runSeed } from '../../../src/run/run-seed.js';

interface Line {
  readonly t: number;
  readonly ev: string;
  readonly mid?: number;
  readonly copies?: number;
  readonly drop?: string;
  readonly cause?: string;
  readonly client?: string;
}

async function traced(file: string, seed: number) {
  const { scenario } = await loadScenario(file);
  const lines: Line[] = [];
  const { result } = runSeed(scenario, seed, { trace: (l) => lines.push(JSON.parse(l)) });
  const bare = runSeed(scenario, seed).result;
  return { lines, result, bare };
}

const SENDS = new Set(['send', 'reply', 'invoke']);
const RECEIPTS = new Set(['recv', 'request']);

describe.each([
  ['scenarios/raft-partition.yaml', 3],
  ['scenarios/fast/pb-async-crash.yaml', 2],
  ['scenarios/fast/pb-sync-pause.yaml', 1],
])('%s seed %i', (file, seed) => {
  it('links every receipt and drop to one send, and accounts for every copy', async () => {
    const { lines, result, bare } = await traced(file, seed);
    expect(result.traceHash).toBe(bare.traceHash);
    const sent = new Map<number, { t: number; copies: number; seen: number }>();
    const sendDrops: Record<string, number> = {};
    const arrivalDrops: Record<string, number> = {};
    let received = 0;
    for (const l of lines) {
      if (SENDS.has(l.ev)) {
        expect(l.mid).toBeGreaterThan(0);
        expect(sent.has(l.mid as number)).toBe(false);
        sent.set(l.mid as number, { t: l.t, copies: l.copies as number, seen: 0 });
        if (l.copies === 0) sendDrops[l.drop as string] = (sendDrops[l.drop as string] ?? 0) + 1;
        else expect(l.drop).toBeUndefined();
      } else if (RECEIPTS.has(l.ev) || l.ev === 'drop') {
        const s = sent.get(l.mid as number);
        expect(s, `${l.ev} of message ${l.mid}`).toBeDefined();
        if (s === undefined) continue;
        expect(l.t).toBeGreaterThanOrEqual(s.t);
        s.seen++;
        expect(s.seen).toBeLessThanOrEqual(s.copies);
        if (l.ev === 'drop')
          arrivalDrops[l.cause as string] = (arrivalDrops[l.cause as string] ?? 0) + 1;
        // The network counts deliveries to nodes; a reply reaching its client is not one.
        else if (l.client === undefined || l.ev === 'request') received++;
      }
    }
    const net = result.stats.network as Record<string, number>;
    expect(sent.size).toBe(net.sent);
    expect(received).toBe(net.delivered);
    expect(sendDrops.loss ?? 0).toBe(net.lost);
    expect((sendDrops.partition ?? 0) + (arrivalDrops.partition ?? 0)).toBe(net.cut);
    expect([...sent.values()].filter((s) => s.copies === 2).length).toBe(net.duplicated);
  });
});

it('a crashed receiver drops what reaches it, with that cause', async () => {
  const { lines } = await traced('scenarios/fast/pb-async-crash.yaml', 2);
  const causes = new Set(lines.filter((l) => l.ev === 'drop').map((l) => l.cause));
  expect(causes.has('crashed-receiver')).toBe(true);
});

it('writes each node’s state summary when it changes, and null while the node is down', async () => {
  const { lines } = await traced('scenarios/raft-crash.yaml', 1);
  const states = lines.filter((l) => l.ev === 'state') as unknown as {
    node: string;
    state: { role: string; term: number; commitIndex: number } | null;
  }[];
  expect(states.some((s) => s.state?.role === 'leader')).toBe(true);
  expect(states.some((s) => s.state === null)).toBe(true);
  for (const s of states.filter((x) => x.state !== null))
    expect(s.state).toMatchObject({ term: expect.any(Number), commitIndex: expect.any(Number) });
  const byNode = new Map<string, string>();
  for (const s of states) {
    const text = JSON.stringify(s.state);
    expect(byNode.get(s.node), 'a summary is written only when it changed').not.toBe(text);
    byNode.set(s.node, text);
  }
});
