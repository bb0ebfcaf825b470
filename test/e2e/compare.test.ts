/**
 * `faultline compare <lesson>`: the variants of a lesson file as one table (variants as
 * columns), the same as JSON with --json, exit 65 naming file:line:col and the field for a bad
 * lesson file, 64 for bad flags.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, faultline, linesOf, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

const LESSON = `name: tiny
lesson: |
  Raft against a counter CRDT under one partition.
base:
  cluster: { nodes: 3 }
  network: { delay: { dist: uniform, min: 1ms, max: 3ms } }
  workload: { clients: 3, think: { dist: uniform, min: 5ms, max: 10ms }, timeout: 200ms }
  faults: { schedule: [{ at: 300ms, partition: [[n1], [n2, n3]], for: 400ms }] }
  phases: { faulty: 1s, healed: 500ms, final: 1s }
variants:
  - name: raft
    protocol: raft
    workload: { type: kv, keys: 1 }
    checkers: [durability, linearizability]
  - name: counter
    protocol: crdt
    options: { type: pn-counter }
    workload: { type: counter }
    checkers: [convergence]
`;

describe('faultline compare', () => {
  let dir: string;
  let lesson: string;
  beforeAll(() => {
    dir = temp('compare');
    lesson = join(dir, 'tiny.yaml');
    writeFileSync(lesson, LESSON);
  });

  it('prints the lesson and one table with the variants as columns', () => {
    const r = cli(['compare', lesson, '--seeds', '1..2', '--workers', '2']);
    expect(r.code, show(r)).toBe(0);
    const lines = linesOf(r.stdout);
    expect(lines[0]).toBe(`lesson=tiny file=${lesson} seeds=1..2 variants=2 workers=2`);
    expect(lines[1]).toBe('Raft against a counter CRDT under one partition.');
    expect(lines[2]).toMatch(/^\s+raft\s+counter$/);
    expect(r.stdout).toMatch(/^protocol \/ workload\s+raft \/ kv\s+crdt \/ counter$/m);
    expect(r.stdout).toMatch(/^linearizable \(seeds\)\s+2\/2 \(100%\)\s+-$/m);
    expect(r.stdout).toMatch(/^converged \(seeds\)\s+-\s+2\/2$/m);
    expect(r.stderr).toBe('');
  });

  it('--json prints the same comparison as one document, the header on stderr', async () => {
    const r = await faultline(['compare', lesson, '--seeds', '2', '--json', '--workers', '1']);
    expect(r.code, show(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      command: string;
      seeds: { from: number; to: number };
      variants: { name: string; seeds: number; linearizable?: { ok: number } }[];
    };
    expect(doc.command).toBe('compare');
    expect(doc.seeds).toEqual({ from: 1, to: 2 });
    expect(doc.variants.map((v) => [v.name, v.seeds])).toEqual([
      ['raft', 2],
      ['counter', 2],
    ]);
    expect(doc.variants[0]?.linearizable?.ok).toBe(2);
    expect(r.stderr).toMatch(/^lesson=tiny /);
  });

  it('a bad lesson file is exit 65, naming file, line, column and the field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, LESSON.replace('options: { type: pn-counter }', 'options: { type: pn }'));
    const r = await faultline(['compare', bad]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(linesOf(r.stderr)[0]).toMatch(
      new RegExp(
        `^faultline: ${bad}:17:\\d+ variants\\.1\\.options\\.type: .*\\(variant counter\\)$`,
      ),
    );
  });

  it('a missing lesson file is exit 65; bad flags are exit 64', async () => {
    expect((await faultline(['compare', join(dir, 'none.yaml')])).code).toBe(65);
    expect((await faultline(['compare', lesson, '--workers', '0'])).code).toBe(64);
    expect((await faultline(['compare', lesson, '--seeds', 'x'])).code).toBe(64);
    expect((await faultline(['compare', lesson, '--from', '3'])).code).toBe(64);
  });
});
