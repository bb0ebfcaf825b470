/**
 * The dynamo protocol from the command line: the quorum scenario runs clean, its home replicas
 * converged key by key, and under LWW the puts a concurrent put overwrote are counted; R + W <= N
 * is caught by the linearizability checker as what it is (a read that misses an acknowledged
 * write); LWW by wall clock with one node's clock ahead loses acknowledged writes, with no other
 * fault; and options that cannot work are user errors (exit 65, `file:line:col options.<field>:
 * …`, the allowed values and a fix, no stack trace).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

function scenarioWith(options: string, workload = 'kv-context'): { dir: string; file: string } {
  const dir = temp('dynamo-bad');
  const file = join(dir, 'bad.yaml');
  writeFileSync(
    file,
    `protocol: dynamo\noptions: ${options}\ncluster: { nodes: 5 }\nworkload: { type: ${workload} }\nphases: { faulty: 1s }\n`,
  );
  return { dir, file };
}

describe('faultline run with the dynamo protocol', () => {
  it('runs dynamo-quorum clean: no acknowledged write lost', async () => {
    const out = temp('dynamo-run');
    const r = await faultline([
      'run',
      'scenarios/dynamo-quorum.yaml',
      '--seeds',
      '1..4',
      '--out',
      out,
    ]);
    expect(r.code, show(r)).toBe(0);
  });

  it('checks convergence per key: every home replica of every key agrees after healing', async () => {
    const out = temp('dynamo-converge');
    const r = await faultline(['run', 'scenarios/dynamo-quorum.yaml', '--seed', '3', '--out', out]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(
      /convergence +ok +the home replicas of 3 keys converged [\d.]+(us|ms|s) after healing; of \d+ acknowledged puts \d+ are kept and \d+ read over by a later put\n/,
    );
  });

  it('shows, and does not fail, the acknowledged puts LWW silently overwrote', async () => {
    const out = temp('dynamo-lww-shown');
    const r = await faultline(['run', 'scenarios/dynamo-lww.yaml', '--seed', '3', '--out', out]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(
      /convergence +ok .*; \d+ silently overwritten by a concurrent put under lww-hlc, a loss the resolution chose \(first: put\(k\d/,
    );
  });

  for (const name of ['dynamo-crdt-counter', 'dynamo-crdt-set']) {
    it(`runs ${name} clean: every key's home replicas join every acknowledged update`, async () => {
      const dir = temp('dynamo-crdt');
      const r = await faultline(['run', `scenarios/${name}.yaml`, '--seed', '2', '--out', dir]);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toMatch(
        /convergence +ok +the home replicas of 6 keys converged [\d.]+(us|ms|s) after healing to CRDT states that join every acknowledged update/,
      );
    });
  }

  it('catches R + W <= N as not linearizable', async () => {
    const out = temp('dynamo-one-one');
    const file = 'scenarios/lessons/dynamo-one-one.yaml';
    const r = await faultline(['run', file, '--seed', '1', '--out', out]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toMatch(/linearizability: get\(k\d\)[\s\S]*cannot be linearized/);
  });

  it('loses acknowledged writes with LWW by wall clock when one node runs ahead', async () => {
    const out = temp('dynamo-lww-wall');
    const file = 'scenarios/lessons/dynamo-lww-wall-skew.yaml';
    const r = await faultline(['run', file, '--seed', '1', '--out', out]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toMatch(/durability: \d+ of \d+ acknowledged writes lost/);
  });

  const bad: [string, string, string?][] = [
    [
      '{ n: 3, w: 4 }',
      'bad.yaml:2:21 options.w: w is 4, more than n (3) replicas: no request could ever reach it; expected one of one, quorum, all or a number from 1 to 3 (did you mean all?)',
    ],
    [
      '{ n: 6 }',
      'bad.yaml:2:15 options.n: n is 6 but the ring has 5 nodes: a preference list needs n distinct nodes; expected n from 1 to 5, or set cluster.nodes to at least 6',
    ],
    [
      '{ resolution: sibling }',
      'bad.yaml:2:24 options.resolution: unknown resolution "sibling": expected one of siblings, lww-hlc, lww-wall, crdt (did you mean siblings?)',
    ],
    [
      '{ resolution: crdt, crdtType: or-set }',
      'bad.yaml:2:40 options.crdtType: crdtType or-set does not fit the counter workload: expected pn-counter, or use workload: { type: set } for or-set',
      'counter',
    ],
    [
      '{ resolution: crdt, crdtType: pn-counter }',
      'bad.yaml:2:40 options.crdtType: crdtType pn-counter does not fit the set workload: expected or-set, or use workload: { type: counter } for pn-counter',
      'set',
    ],
    [
      '{ resolution: lww-hlc }',
      'bad.yaml:2:24 options.resolution: resolution lww-hlc does not fit the counter workload, whose clients send CRDT operations: expected crdt (with crdtType: pn-counter), or use workload: { type: kv-context } for lww-hlc',
      'counter',
    ],
    [
      '{ resolution: siblings }',
      'bad.yaml:2:24 options.resolution: resolution siblings does not fit the set workload, whose clients send CRDT operations: expected crdt (with crdtType: or-set), or use workload: { type: kv-context } for siblings',
      'set',
    ],
    [
      '{ resolution: crdt, crdtType: pn-counter }',
      'bad.yaml:2:24 options.resolution: resolution crdt does not fit the kv-context workload, whose clients read siblings and write back with their context: expected one of siblings, lww-hlc, lww-wall, or use workload: { type: counter } or { type: set } for crdt',
    ],
  ];
  for (const [options, message, workload] of bad) {
    it(`refuses options ${options} (${workload ?? 'kv-context'}) with exit 65 and the field's position`, async () => {
      const { dir, file } = scenarioWith(options, workload);
      const r = await faultline(['run', file, '--seed', '1', '--out', join(dir, 'out')]);
      expect(r.code, show(r)).toBe(65);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(linesOf(r.stderr)[0]).toBe(`faultline: ${join(dir, message)}`);
    });
  }
});
