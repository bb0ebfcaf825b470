import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../../src/compare/lesson-file.js';
import { formatScenarioError } from '../../../src/scenario/index.js';

const BASE = `name: tiny
lesson: what to look at
seeds: 3..4
base:
  cluster: { nodes: 3 }
  workload: { clients: 2 }
  phases: { faulty: 1s, healed: 500ms, final: 1s }
variants:
`;

async function errors(text: string): Promise<string[]> {
  const r = await parseLesson(text, 'lesson.yaml');
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(formatScenarioError);
}

describe('lesson files', () => {
  it('merges each variant into the base and reads it as a scenario', async () => {
    const r = await parseLesson(
      `${BASE}  - { name: raft, protocol: raft, workload: { type: kv } }
  - name: counter
    protocol: crdt
    options: { type: pn-counter }
    workload: { type: counter, clients: 4 }
`,
      'lesson.yaml',
    );
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.lesson.name).toBe('tiny');
    expect(r.lesson.seeds).toEqual({ from: 3, to: 4 });
    expect(r.lesson.variants.map((v) => v.name)).toEqual(['raft', 'counter']);
    const [raft, counter] = r.lesson.variants.map((v) => v.scenario);
    expect(raft?.protocol.name).toBe('raft');
    expect(raft?.clients?.count).toBe(2);
    expect(raft?.name).toBe('tiny-raft');
    expect(counter?.protocol.name).toBe('crdt');
    expect(counter?.clients?.count).toBe(4);
  });

  it('places a variant’s error on the variant’s own line, naming the variant', async () => {
    const text = `${BASE}  - { name: raft, protocol: raft, workload: { type: kv } }
  - name: bad
    protocol: raft
    options: { heartbeatMs: -5 }
    workload: { type: kv }
`;
    const [e] = await errors(text);
    expect(e).toMatch(/^lesson\.yaml:12:\d+ variants\.1\.options\.heartbeatMs: .*\(variant bad\)$/);
  });

  it('places an error in a field the variant did not write on the base', async () => {
    const text = BASE.replace('workload: { clients: 2 }', 'workload: { clients: 0 }');
    const [e] = await errors(`${text}  - { name: raft, protocol: raft, workload: { type: kv } }\n`);
    expect(e).toMatch(/^lesson\.yaml:6:\d+ base\.workload\.clients: .*\(variant raft\)$/);
  });

  it('names an unknown protocol where the variant wrote it', async () => {
    const [e] = await errors(`${BASE}  - { name: x, protocol: raf, workload: { type: kv } }\n`);
    expect(e).toMatch(/^lesson\.yaml:9:\d+ variants\.0\.protocol: .*raft/);
  });

  it('refuses a lesson without its text, without variants, or with a variant named twice', async () => {
    const one = `${BASE}  - { name: a, protocol: raft, workload: { type: kv } }\n`;
    expect(await errors(one.replace('lesson: what to look at\n', ''))).toEqual([
      expect.stringMatching(/^lesson\.yaml:1:1 lesson: expected the lesson text/),
    ]);
    expect((await errors(`${BASE}  []\n`))[0]).toMatch(/variants: expected at least one variant/);
    const twice = `${BASE}  - { name: a, protocol: raft, workload: { type: kv } }
  - { name: a, protocol: raft, workload: { type: kv } }
`;
    expect(await errors(twice)).toEqual([
      expect.stringMatching(/^lesson\.yaml:10:\d+ variants\.1\.name: variant a is named twice/),
    ]);
  });

  it('reports a YAML syntax error at its position', async () => {
    const [e] = await errors('name: x\nlesson: [unclosed\n');
    expect(e).toMatch(/^lesson\.yaml:\d+:\d+ /);
  });
});
