/**
 * Fault domains from the command line (issue 16, "Fault domains in the scenario"): a topology
 * that places a node wrongly, a fault naming a zone that does not exist, or a partition naming
 * one twice is exit 65 with one positioned message per mistake and no stack trace; the shipped
 * zone scenario runs clean, and its zone faults print as the README shows them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, ROOT, STACK_LINE, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

const BAD = `protocol: raft
cluster: { nodes: 5 }
topology:
  zones:
    z1: [n1, n2, n7]
    z2: { racks: { r1: [n3], r2: [n2] } }
    z3: []
network: { crossZone: { delay: 20ms } }
faults:
  schedule:
    - { at: 1s, crash: { zone: z4 }, for: 1s }
    - { at: 2s, partition: { zones: [[z1], [z2, z1]] }, for: 1s }
    - { at: 3s, clog: { rack: r3 }, for: 1s }
  random:
    - { kind: crash, every: 1s, for: 100ms, target: zone:z9 }
`;

describe('a bad topology, or a fault naming a domain it lacks', () => {
  it('is exit 65 with every mistake at its line, column and field', async () => {
    const dir = temp('bad-topology');
    const f = join(dir, 'zones.yaml');
    writeFileSync(f, BAD);
    const r = await faultline(['run', f, '--seed', '1', '--out', join(dir, 'out')]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(linesOf(r.stderr).map((l) => l.replace(/^faultline: /, ''))).toEqual([
      `${f}:5:5 topology.zones: n4, n5 are in no zone: a topology places every node (the cluster has n1..n5)`,
      `${f}:5:18 topology.zones.z1.2: unknown node n7: the cluster has n1..n5`,
      `${f}:6:35 topology.zones.z2.racks.r2.0: n2 is already placed in zone z1; a node sits in one zone and rack`,
      `${f}:7:9 topology.zones.z3: zone z3 is empty: list its nodes, like [n1]`,
      `${f}:11:24 faults.schedule.0.crash: unknown zone "z4": the topology has z1, z2, z3 (did you mean z1?)`,
      `${f}:12:49 faults.schedule.1.partition.zones.1.1: z1 is already on side 0`,
      `${f}:13:23 faults.schedule.2.clog: unknown rack "r3": the topology has r1, r2 (did you mean r1?)`,
      `${f}:15:53 faults.random.0.target: unknown zone "z9": the topology has z1, z2, z3 (did you mean z1?)`,
    ]);
  });

  it('crossZone or a zone fault without a topology says what to add', async () => {
    const dir = temp('no-topology');
    const f = join(dir, 'plain.yaml');
    writeFileSync(
      f,
      'protocol: raft\nnetwork: { crossZone: { delay: 20ms } }\nfaults: { schedule: [{ at: 1s, pause: { zone: z1 } }] }\n',
    );
    const r = await faultline(['run', f, '--seed', '1', '--out', join(dir, 'out')]);
    expect(r.code, show(r)).toBe(65);
    expect(linesOf(r.stderr).map((l) => l.replace(/^faultline: /, ''))).toEqual([
      `${f}:2:12 network.crossZone: crossZone needs zones to cross: add topology: { zones: { z1: [n1, …], z2: [...] } }`,
      `${f}:3:39 faults.schedule.0.pause: a zone target needs a topology: add topology: { zones: { z1: [n1, …], … } }`,
    ]);
  });
});

describe('the shipped zone scenario', () => {
  it('runs clean, and prints what the README shows of seed 3', async () => {
    const r = await faultline([
      'run',
      'scenarios/fast/raft-zone-outage.yaml',
      '--seed',
      '3',
      '--out',
      temp('zones'),
    ]);
    expect(r.code, show(r)).toBe(0);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = '$ node dist/cli/main.js run scenarios/fast/raft-zone-outage.yaml --seed 3\n';
    const start = readme.indexOf(command);
    expect(start).toBeGreaterThan(0);
    const body = readme.slice(start + command.length);
    const sample = linesOf(body.slice(0, body.indexOf('```'))).filter((l) => !l.includes('…'));
    expect(sample.length).toBeGreaterThan(10);
    const printed = linesOf(r.stdout);
    for (const line of sample) expect(printed).toContain(line);
  });
});
