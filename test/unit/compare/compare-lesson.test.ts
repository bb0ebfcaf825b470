import { describe, expect, it } from 'vitest';
import { compareLesson } from '../../../src/compare/compare-lesson.js';
import { comparisonTable, duration } from '../../../src/compare/comparison-table.js';
import { parseLesson } from '../../../src/compare/lesson-file.js';

const LESSON = `name: tiny
lesson: what to look at
base:
  cluster: { nodes: 3 }
  network: { delay: { dist: uniform, min: 1ms, max: 3ms } }
  workload: { clients: 3, think: { dist: uniform, min: 5ms, max: 10ms }, timeout: 200ms }
  faults: { schedule: [{ at: 300ms, partition: [[n1], [n2, n3]], for: 400ms }] }
  phases: { faulty: 1s, healed: 500ms, final: 1s }
variants:
  - name: raft
    protocol: raft
    workload: { type: kv, keys: 1, mix: { get: 1, put: 1, append: 1 } }
    checkers: [durability, linearizability]
  - name: counter
    protocol: crdt
    options: { type: pn-counter }
    workload: { type: counter, routing: roam }
    checkers: [convergence]
  - name: register
    protocol: crdt
    options: { type: mv-register }
    workload: { type: register, routing: roam }
    checkers: [liveness]
`;

async function compare() {
  const parsed = await parseLesson(LESSON, 'tiny.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return compareLesson(parsed.lesson, { seeds: { from: 1, to: 2 }, workers: 1 });
}

describe('compareLesson', () => {
  it('measures each variant over the same seeds, leaving out what it cannot measure', async () => {
    const c = await compare();
    const [raft, counter, register] = c.variants;
    expect(c.variants.map((v) => v.seeds)).toEqual([2, 2, 2]);
    expect(raft?.linearizable).toEqual({ ok: 2, violation: 0, unknown: 0 });
    expect(raft?.staleReads?.count).toBe(0);
    expect(raft?.staleReads?.of).toBeGreaterThan(0);
    expect(raft?.lost?.count).toBe(0);
    expect(raft?.sessions?.['read-your-writes'].count).toBe(0);
    expect(raft?.converged).toBeUndefined();
    // A counter's reads name no writes: no stale reads or session guarantees to judge.
    expect(counter?.staleReads).toBeUndefined();
    expect(counter?.sessions).toBeUndefined();
    expect(counter?.linearizable).toBeUndefined();
    expect(counter?.converged?.of).toBe(2);
    // The register's session guarantees are counted though the variant does not name them.
    expect(register?.sessions?.['read-your-writes'].of).toBeGreaterThan(0);
    expect(register?.converged).toBeUndefined();
    for (const v of c.variants) {
      const side = v.sides['all clients'];
      expect(side?.attempted).toBeGreaterThan(0);
      expect(side?.ok).toBeLessThanOrEqual(side?.attempted ?? 0);
      expect(v.latencyUs?.p50).toBeLessThanOrEqual(v.latencyUs?.p99 ?? 0);
    }
  });

  it('gives the same comparison on every run', async () => {
    expect(JSON.stringify(await compare())).toBe(JSON.stringify(await compare()));
  });

  it('prints variants as columns and - for what a variant did not measure', async () => {
    const lines = comparisonTable(await compare());
    expect(lines[0]).toMatch(/^\s+raft\s+counter\s+register$/);
    const row = (label: string) => lines.find((l) => l.startsWith(label)) ?? '';
    expect(row('linearizable (seeds)')).toMatch(/2\/2 \(100%\)\s+-\s+-$/);
    expect(row('stale reads')).toMatch(/^stale reads\s+0\/[\d,]+ \(0%\)\s+-\s+\d/);
    expect(row('converged (seeds)')).toMatch(/-\s+2\/2\s+-$/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    // A replicated log's rows only when every variant has a leader.
    expect(row('leaders elected')).toBe('');
  });
});

const LOGS = `name: logs
lesson: what a log costs
base:
  cluster: { nodes: 3 }
  network: { delay: { dist: uniform, min: 1ms, max: 3ms } }
  workload: { type: kv, clients: 3, keys: 1, think: { dist: uniform, min: 5ms, max: 10ms }, timeout: 200ms }
  faults: { schedule: [{ at: 300ms, crash: n1, for: 400ms }, { at: 900ms, crash: n2, for: 300ms }] }
  phases: { faulty: 1500ms, healed: 500ms, final: 1s }
  checkers: [linearizability]
variants:
  - { name: raft, protocol: raft }
  - { name: multi-paxos, protocol: multi-paxos }
`;

describe('compareLesson on replicated logs', () => {
  it('measures throughput, leaders elected, windows without a leader and messages per write', async () => {
    const parsed = await parseLesson(LOGS, 'logs.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const c = await compareLesson(parsed.lesson, { seeds: { from: 1, to: 2 }, workers: 1 });
    for (const v of c.variants) {
      const r = v.replication;
      expect(r?.leadersElected, v.name).toBeGreaterThanOrEqual(2);
      expect(r?.okOps).toBeGreaterThan(0);
      expect(r?.messages).toBeGreaterThan(r?.writesAcked ?? 0);
    }
    const lines = comparisonTable(c);
    const row = (label: string) => lines.find((l) => l.startsWith(label)) ?? '';
    expect(row('throughput (ok ops / s)')).toMatch(/^throughput \(ok ops \/ s\)\s+\d+\s+\d+$/);
    expect(row('messages per acked write')).toMatch(/\d+\.\d\s+\d+\.\d$/);
  });
});

describe('compareLesson with clients placed beside nodes', () => {
  it('counts availability per side: Raft none on the minority side, a counter all of it', async () => {
    const placed = LESSON.replace('clients: 3,', 'clients: 3, placement: beside,').replace(
      /routing: roam/g,
      'routing: sticky',
    );
    const parsed = await parseLesson(placed, 'tiny.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const c = await compareLesson(parsed.lesson, { seeds: { from: 1, to: 2 }, workers: 1 });
    const [raft, counter] = c.variants;
    // c1 sits beside n1, alone from 300 ms to 700 ms: its side is the minority.
    expect(raft?.sides['all clients']).toBeUndefined();
    expect(raft?.sides['minority side']?.attempted).toBeGreaterThan(0);
    expect(raft?.sides['minority side']?.ok).toBe(0);
    expect(raft?.sides['majority side']?.ok).toBeGreaterThan(0);
    const minority = counter?.sides['minority side'];
    expect(minority?.attempted).toBeGreaterThan(0);
    expect(minority?.ok).toBe(minority?.attempted);
  });
});

describe('compareLesson on the dynamo store (kv-context histories)', () => {
  it('measures stale reads, lost writes and session guarantees by version vectors', async () => {
    const dynamo = LESSON.replace(
      /variants:[\s\S]*$/,
      `variants:
  - name: one
    protocol: dynamo
    options: { n: 3, w: one, r: one }
    workload: { type: kv-context, keys: 1, routing: roam }
    checkers: [durability]
  - name: quorum
    protocol: dynamo
    options: { n: 3, w: quorum, r: quorum }
    workload: { type: kv-context, keys: 1 }
    checkers: [durability]
`,
    );
    const parsed = await parseLesson(dynamo, 'tiny.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const c = await compareLesson(parsed.lesson, { seeds: { from: 1, to: 2 }, workers: 1 });
    const [one, quorum] = c.variants;
    expect(c.variants.map((v) => v.errors)).toEqual([0, 0]);
    expect(one?.staleReads?.count).toBeGreaterThan(0);
    expect(quorum?.staleReads).toEqual({ count: 0, of: expect.any(Number) });
    expect(quorum?.staleReads?.of).toBeGreaterThan(0);
    expect(quorum?.lost?.count).toBe(0);
    expect(quorum?.lost?.of).toBeGreaterThan(0);
    expect(quorum?.sessions?.['read-your-writes'].of).toBeGreaterThan(0);
  });
});

describe('duration', () => {
  it('prints three significant digits in the unit that fits', () => {
    expect(duration(850)).toBe('850us');
    expect(duration(12_345)).toBe('12.3ms');
    expect(duration(1_254_000)).toBe('1.25s');
  });
});
