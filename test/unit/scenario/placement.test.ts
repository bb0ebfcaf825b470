/**
 * `workload.placement` and clients named in partition components: what resolves to which
 * client homes and client sides, and each mistake reported at the field a user has to fix.
 */
import { describe, expect, it } from 'vitest';
import {
  formatScenarioError,
  parseScenario,
  type Scenario,
  type ScenarioError,
} from '../../../src/scenario/index.js';

const base = (workload: string, schedule = ''): string =>
  `protocol: raft\ncluster: { nodes: 3 }\nworkload: ${workload}\n${
    schedule === '' ? '' : `faults:\n  schedule:\n    - ${schedule}\n`
  }`;

function parsed(text: string): Scenario {
  const r = parseScenario(text, 's.yaml');
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.scenario;
}

function onlyError(text: string): { where: string; path: string; message: string } {
  const r = parseScenario(text, 's.yaml');
  if (r.ok) throw new Error('expected errors, the scenario parsed');
  expect(r.errors.map(formatScenarioError)).toHaveLength(1);
  const e = r.errors[0] as ScenarioError;
  return { where: `${e.line}:${e.column}`, path: e.path, message: e.message };
}

describe('workload.placement', () => {
  it('is everywhere by default: no homes, nothing placed', () => {
    expect(parsed(base('{ type: kv, clients: 4 }')).clients?.placement).toBeUndefined();
    expect(parsed(base('{ type: kv, placement: everywhere }')).clients?.placement).toBeUndefined();
  });

  it('beside puts ci beside n((i-1) mod N + 1); a mapping overrides some, the rest sit beside', () => {
    expect(parsed(base('{ type: kv, clients: 5, placement: beside }')).clients?.placement).toEqual([
      0, 1, 2, 0, 1,
    ]);
    const s = parsed(base('{ type: kv, clients: 4, placement: { c4: n3, c1: n2 } }'));
    expect(s.clients?.placement).toEqual([1, 1, 2, 2]);
  });

  it('lets a schedule component name placed clients, and a component hold only clients', () => {
    const s = parsed(
      base('{ type: kv, placement: beside }', '{ at: 1s, partition: [[n1, c3], [n2, n3], [c2]] }'),
    );
    const action = s.faults.schedule[0]?.action as unknown as {
      spec: { components: number[][]; clientComponents: number[][] };
    };
    expect(action.spec.components).toEqual([[0], [1, 2], []]);
    expect(action.spec.clientComponents).toEqual([[2], [], [1]]);
  });

  it('an unknown client in the mapping, at its key, with the clients there are', () => {
    const text = base('{ type: kv, clients: 2, placement: { c3: n1 } }');
    expect(onlyError(text)).toEqual({
      where: `3:${(text.split('\n')[2]?.indexOf('c3') as number) + 1}`,
      path: 'workload.placement.c3',
      message: 'unknown client c3: the workload has c1..c2 (did you mean c1?)',
    });
  });

  it('a key that is not a client name, with a suggestion', () => {
    expect(onlyError(base('{ type: kv, clients: 2, placement: { client1: n1 } }'))).toMatchObject({
      path: 'workload.placement.client1',
      message: 'expected a client name like c1, got "client1": the workload has c1..c2',
    });
  });

  it('an unknown node, at its value', () => {
    const text = base('{ type: kv, placement: { c1: n4 } }');
    expect(onlyError(text)).toEqual({
      where: `3:${(text.split('\n')[2]?.indexOf('n4') as number) + 1}`,
      path: 'workload.placement.c1',
      message: 'unknown node n4: the cluster has n1..n3',
    });
  });

  it('a bad value, with the forms allowed', () => {
    expect(onlyError(base('{ type: kv, placement: nearby }'))).toMatchObject({
      path: 'workload.placement',
      message:
        'expected everywhere, beside, or a mapping of clients to nodes like { c1: n1, c2: n3 }',
    });
  });

  it('a client in a partition when clients are not placed, with the fix', () => {
    expect(
      onlyError(base('{ type: kv }', '{ at: 1s, partition: [[n1, c1], [n2, n3]] }')),
    ).toMatchObject({
      path: 'faults.schedule.0.partition.0.1',
      message:
        'c1 names a client, but clients reach every node unless placed: set workload.placement to beside (or { c1: n1, … }) to give them a side',
    });
  });

  it('an unknown or repeated client in a partition', () => {
    const w = '{ type: kv, clients: 2, placement: beside }';
    expect(onlyError(base(w, '{ at: 1s, partition: [[n1, c5], [n2, n3]] }'))).toMatchObject({
      path: 'faults.schedule.0.partition.0.1',
      message: 'unknown client c5: the workload has c1..c2',
    });
    expect(onlyError(base(w, '{ at: 1s, partition: [[n1, c1], [n2, c1]] }'))).toMatchObject({
      path: 'faults.schedule.0.partition.1.1',
      message: 'c1 is already in component 0',
    });
  });

  it('a client in a partition of a run without clients', () => {
    const text =
      'protocol: raft\nworkload: none\nfaults:\n  schedule:\n    - { at: 1s, partition: [[n1, c1], [n2, n3]] }\n';
    expect(onlyError(text)).toMatchObject({
      message: 'c1 names a client, but this scenario has no clients',
    });
  });
});
