/**
 * Materializing a fault log into a schedule: faults pair with the inverse the log shows, a
 * whole-cluster crash becomes `crash: all`, a bridge or a majorities ring becomes the exact links
 * it cut, the entries are valid scenario entries, and only the records' structured facts are read. On real seeds, the materialized schedule
 * reproduces the failing run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runSeed } from '../../../src/run/run-seed.js';
import { loadScenario } from '../../../src/runner/load-scenario.js';
import { materializeFaults } from '../../../src/fuzz/materialize.js';
import { shrinkFailure } from '../../../src/fuzz/shrink.js';
import { Prng } from '../../../src/core/prng.js';
import { blockedLinks, makeCut, nodeName, type Cut } from '../../../src/net/partitions.js';
import { parseScenario } from '../../../src/scenario/index.js';
import { FAULT_KINDS } from '../../../src/faults/registry.js';
import type { PartitionAction } from '../../../src/faults/partition-entry.js';
import type { FaultRecord } from '../../../src/sim/faults.js';

const rec = (
  t: number,
  action: string,
  detail: string,
  data?: Readonly<Record<string, unknown>>,
): FaultRecord => (data === undefined ? { t, action, detail } : { t, action, detail, data });

const materialize = (records: readonly FaultRecord[], nodes: number) =>
  materializeFaults(records, nodes, FAULT_KINDS);

describe('materializeFaults', () => {
  it('writes a cut that named placed clients back with their names', async () => {
    const { scenario } = await loadScenario('scenarios/raft-minority-clients.yaml');
    const m = materialize(runSeed(scenario, 1).result.faults, 5);
    expect(m.faults.map((f) => f.entry)).toEqual([
      {
        at: '1s',
        partition: [
          ['n1', 'n2', 'c1', 'c2', 'c3'],
          ['n3', 'n4', 'n5'],
        ],
        for: '4s',
      },
    ]);
  });

  it('pairs faults with their inverses and keeps lone inverses as entries', () => {
    const m = materialize(
      [
        rec(1_000_000, 'crash', 'n2', { node: 'n2' }),
        rec(1_250_000, 'partition', 'n1 | n2 n3', { components: [['n1'], ['n2', 'n3']] }),
        rec(1_300_000, 'restart', 'n2', { node: 'n2' }),
        rec(1_400_000, 'partition', 'n3 -/-> n1 n2', {
          components: [['n3'], ['n1', 'n2']],
          oneWay: true,
        }),
        rec(1_900_000, 'heal', 'network healed', {}),
        rec(2_000_000, 'clog', 'n1 for 200000us', { node: 'n1', forUs: 200_000 }),
        rec(2_100_000, 'skew', 'n3 clock -1500us', { node: 'n3', bumpUs: -1500 }),
        rec(2_200_000, 'unskew', 'n3 clock restored', { node: 'n3' }),
        rec(2_500_000, 'pause', 'n1', { node: 'n1' }),
        rec(2_600_000, 'resume', 'n2', { node: 'n2' }),
        rec(6_000_000, 'phase', 'healed: …'),
      ],
      3,
    );
    expect(m.skipped).toBe(0);
    expect(m.faults.map((f) => f.entry)).toEqual([
      { at: '1s', crash: 'n2', for: '300ms' },
      { at: '1250ms', partition: [['n1'], ['n2', 'n3']] },
      { at: '1400ms', partition: [['n3'], ['n1', 'n2']], oneWay: true, for: '500ms' },
      { at: '2s', clog: 'n1', for: '200ms' },
      { at: '2100ms', skew: 'n3', by: '-1500us', for: '100ms' },
      { at: '2500ms', pause: 'n1' },
      { at: '2600ms', resume: 'n2' },
    ]);
    expect(m.faults[0]!.text).toBe('1s crash n2 for 300ms');
    expect(m.faults[2]!.text).toBe('1.4s partition n3 -/-> n1 n2 for 500ms');
  });

  it('writes joins back, and a leave with its drain as for (until left)', () => {
    const m = materialize(
      [
        rec(200_000, 'join', 'n6 joins', { node: 'n6' }),
        rec(400_000, 'leave', 'n3 leaves, draining', { node: 'n3' }),
        rec(600_000, 'left', 'n3 left', { node: 'n3' }),
        rec(800_000, 'leave', 'n1 leaves, draining', { node: 'n1' }),
      ],
      5,
    );
    expect(m.skipped).toBe(0);
    expect(m.faults.map((f) => f.text)).toEqual([
      '200ms join n6',
      '400ms leave n3, draining for 200ms',
      '800ms leave n1, draining',
    ]);
    expect(m.faults.map((f) => f.entry)).toEqual([
      { at: '200ms', join: 'n6' },
      { at: '400ms', leave: 'n3', for: '200ms' },
      { at: '800ms', leave: 'n1' },
    ]);
  });

  it('reads the structured facts, never the text, and counts what it cannot read', () => {
    const m = materialize(
      [
        rec(1, 'crash', 'this text is for people', { node: 'n3' }),
        rec(2, 'crash', 'n2'),
        rec(3, 'meteor', 'n1', { node: 'n1' }),
      ],
      3,
    );
    expect(m.faults.map((f) => f.entry)).toEqual([{ at: '1us', crash: 'n3' }]);
    expect(m.skipped).toBe(2);
  });

  it('turns a crash of every node at one instant into crash: all', () => {
    const m = materialize(
      [
        rec(5, 'crash', 'n1', { node: 'n1' }),
        rec(5, 'crash', 'n2', { node: 'n2' }),
        rec(5, 'crash', 'n3', { node: 'n3' }),
        rec(9, 'restart', 'n1', { node: 'n1' }),
        rec(9, 'restart', 'n2', { node: 'n2' }),
        rec(9, 'restart', 'n3', { node: 'n3' }),
      ],
      3,
    );
    expect(m.faults.map((f) => f.entry)).toEqual([{ at: '5us', crash: 'all', for: '4us' }]);
    expect(m.faults[0]!.text).toBe('5us crash all for 4us');
  });
});

/** The cut a materialized partition entry makes when a scenario runs it. */
function cutOf(entry: unknown, nodes: number): Cut {
  const text = `protocol: raft\ncluster: { nodes: ${nodes} }\nfaults:\n  schedule:\n    - ${JSON.stringify(entry)}\n`;
  const parsed = parseScenario(text, 'cut.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const action = parsed.scenario.faults.schedule[0]?.action as PartitionAction | undefined;
  if (action?.kind !== 'partition') throw new Error('not a partition');
  return makeCut(nodes, action.spec, Prng.root(0));
}

describe('materializing bridges and majorities rings', () => {
  it('writes the links the record says were cut, as { cut } pairs, exactly', () => {
    const m = materialize(
      [
        rec(10, 'partition', 'n1 | n3 (bridge) | n2', {
          cut: [
            ['n1', 'n2'],
            ['n2', 'n1'],
          ],
        }),
        rec(30, 'heal', 'network healed', {}),
        rec(40, 'partition', 'majorities ring n2-n1-n3', { cut: [] }),
        rec(50, 'partition', 'n1 -x-> n3', { cut: [['n1', 'n3']] }),
      ],
      3,
    );
    expect(m.faults.map((f) => f.entry)).toEqual([
      { at: '10us', partition: { cut: [['n1', 'n2']] }, for: '20us' },
      { at: '40us', partition: { cut: [] } },
      { at: '50us', partition: { cut: [['n1', 'n3']] }, oneWay: true },
    ]);
    expect(m.faults.map((f) => f.text)).toEqual([
      '10us partition n1 -x- n2 for 20us',
      '40us partition no links cut',
      '50us partition n1 -x-> n3',
    ]);
  });

  it('on records the injector wrote, the materialized cut’s matrix is the original’s (5 nodes, many draws)', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const shape of ['bridge', 'majorities-ring', 'random-halves', 'isolate'] as const) {
        const original = makeCut(5, { shape }, Prng.root(seed));
        const record = recordOf(original);
        const [f] = materialize([record], 5).faults;
        expect(cutOf(f?.entry, 5).matrix).toEqual(original.matrix);
      }
    }
  });

  it('fault records of a real run carry the sides of every components cut, and the links of every other', () => {
    const file = 'scenarios/raft-elections.yaml';
    const parsed = parseScenario(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error('scenario');
    const partitions = runSeed(parsed.scenario, 11).result.faults.filter(
      (f) => f.action === 'partition',
    );
    const shaped = partitions.filter(
      (f) => f.detail.includes('(bridge)') || f.detail.startsWith('majorities ring'),
    );
    expect(shaped.length).toBeGreaterThan(0);
    expect(partitions.filter((f) => f.data?.cut !== undefined)).toEqual(shaped);
    expect(partitions.every((f) => f.data !== undefined)).toBe(true);
    expect(materialize(partitions, 3).skipped).toBe(0);
  });
});

/** The record the partition fault kind writes for a cut. */
function recordOf(cut: Cut): FaultRecord {
  if (cut.components !== undefined) {
    const components = cut.components.map((c) => c.map(nodeName));
    return rec(1, 'partition', cut.description, { components, oneWay: cut.oneWay === true });
  }
  const links = blockedLinks(cut).map(([a, b]) => [nodeName(a), nodeName(b)]);
  return rec(1, 'partition', cut.description, { cut: links });
}

describe('shrinkFailure', () => {
  it('shrinks a failing seed of pb-async-crash to fewer faults that still fail the same checker', () => {
    const file = 'scenarios/fast/pb-async-crash.yaml';
    const text = readFileSync(file, 'utf8');
    const parsed = parseScenario(text, file);
    if (!parsed.ok) throw new Error('scenario');
    const { result } = runSeed(parsed.scenario, 3);
    expect(result.verdict).toBe('invalid');
    const o = shrinkFailure({
      text,
      file,
      seed: 3,
      bugs: [],
      swarm: false,
      faults: result.faults,
      checker: 'durability',
      runsMax: 60,
    });
    expect(o.mode).toBe('schedule');
    expect(o.faultsAfter.length).toBeLessThan(o.faultsBefore.length);
    expect(o.result.checks.find((c) => c.checker === 'durability')?.verdict).toBe('violation');
    expect(o.runs).toBeLessThanOrEqual(60);
    // What was tested is what would be written: the document parses and fails the same way.
    const again = parseScenario(o.document.toString({ lineWidth: 0 }), file);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.scenario.faults.nemeses).toEqual([]);
    expect(runSeed(again.scenario, 3).result.traceHash).toBe(o.result.traceHash);
    // Comments survive.
    expect(o.document.toString()).toContain('yaml-language-server');
  });
});

describe('materializing faults aimed at fault domains', () => {
  it('writes a zone outage, a zone clog and a cut between zones back as entries that parse', () => {
    const file = 'scenarios/fast/raft-zone-outage.yaml';
    const text = readFileSync(file, 'utf8');
    const parsed = parseScenario(text, file);
    if (!parsed.ok) throw new Error('scenario');
    const m = materialize(runSeed(parsed.scenario, 3).result.faults, 5);
    expect(m.skipped).toBe(0);
    const entries = m.faults.map((f) => f.entry);
    expect(entries).toContainEqual({ at: '1s', crash: 'n1', for: '1500ms' });
    expect(entries).toContainEqual({ at: '1s', crash: 'n2', for: '1500ms' });
    expect(entries).toContainEqual({ at: '4500ms', clog: { zone: 'z3' }, for: '500ms' });
    const zonesCut = {
      partition: [
        ['n3', 'n4'],
        ['n1', 'n2', 'n5'],
      ],
    };
    expect(entries).toContainEqual(expect.objectContaining(zonesCut));
    const doc = parseDocument(text);
    doc.set('faults', { schedule: entries });
    const again = parseScenario(doc.toString({ lineWidth: 0 }), file);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.scenario.faults.schedule).toHaveLength(entries.length);
  });
});
