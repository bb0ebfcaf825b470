import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../../src/checkers/convergence.js';
import { valueOutsideHistory } from '../../../src/checkers/convergence-history.js';
import type { Operation } from '../../../src/core/history.js';
import type { ReplicaSet } from '../../../src/core/replica-set.js';
import { counterReplicas, op, took } from './convergence-fixtures.js';

const formatOp = (o: Operation) => `${o.f}(${(o.input as { by?: number }).by ?? ''})`;
const check = (h: Operation[], r: ReplicaSet | undefined, healedAtUs = 500) =>
  checkConvergence(h, r, healedAtUs, formatOp);

describe('convergence checker', () => {
  it('passes replicas that agree on the sum of the updates, and times their convergence', () => {
    const h = [op('inc', 2, 'ok'), op('dec', 1, 'ok', { node: 'n2' })];
    const r = counterReplicas(h, took(h), [
      { node: 'n1', value: 1, changedAtUs: 700 },
      { node: 'n2', value: 1, changedAtUs: 900 },
    ]);
    const res = check(h, r);
    expect(res.verdict).toBe('ok');
    expect(res.summary).toBe(
      '2 replicas converged 400us after healing to 1, the specification of 2 updates (2 acknowledged, 0 of 0 unknown)',
    );
    expect(res.evidence).toMatchObject({ convergedAtUs: 900, convergenceUs: 400 });
  });

  it('names the first difference of replicas that diverged', () => {
    const h = [op('inc', 2, 'ok')];
    const r = counterReplicas(h, took(h), [
      { node: 'n1', value: 2 },
      { node: 'n2', value: 0 },
      { node: 'n3', value: 2 },
    ]);
    const res = check(h, r);
    expect(res.verdict).toBe('violation');
    expect(res.summary).toBe(
      'replicas diverged after healing: n1 and n2 differ at value 2 vs 0 (1 of 3 differ from n1)',
    );
  });

  it('holds the converged value to the specification of the updates applied', () => {
    const h = [op('inc', 2, 'ok'), op('inc', 3, 'ok')];
    const r = counterReplicas(h, took(h), [
      { node: 'n1', value: 10 },
      { node: 'n2', value: 10 },
    ]);
    expect(check(h, r).summary).toBe(
      'the replicas converged to 10, but the pn-counter specification of the 2 updates they applied gives 5',
    );
  });

  it('reports an acknowledged update the replicas never applied', () => {
    const h = [op('inc', 2, 'ok'), op('inc', 3, 'ok', { node: 'n2' })];
    const applied = took(h).slice(0, 1);
    const r = counterReplicas(h, applied, [{ node: 'n1', value: 2 }]);
    const res = check(h, r);
    expect(res.verdict).toBe('violation');
    expect(res.summary).toMatch(
      /^1 of 2 acknowledged updates are missing from the converged state \(first: inc\(3\) by c1 at n2, ok at /,
    );
  });

  it('lets an unknown update go either way, but not a failed one', () => {
    const h = [op('inc', 2, 'ok'), op('inc', 3, 'info')];
    const withIt = counterReplicas(h, took(h), [{ node: 'n1', value: 5 }]);
    const without = counterReplicas(h, took(h).slice(0, 1), [{ node: 'n1', value: 2 }]);
    expect(check(h, withIt).verdict).toBe('ok');
    expect(check(h, without).verdict).toBe('ok');
    expect(check(h, withIt).summary).toContain('(1 acknowledged, 1 of 1 unknown)');
    const failed = [op('inc', 2, 'ok'), op('inc', 3, 'fail')];
    const res = check(failed, counterReplicas(failed, took(failed), [{ node: 'n1', value: 5 }]));
    expect(res.summary).toMatch(/^1 updates that failed were applied/);
  });

  it('refuses bookkeeping that claims updates no replica took', () => {
    const h = [op('inc', 2, 'ok')];
    const r = counterReplicas(h, took(h), [{ node: 'n1', value: 2, applied: [['n1', 2]] }]);
    expect(check(h, r).summary).toMatch(
      /count 2 updates applied .* only 1 of them were ever taken/,
    );
  });

  it('compares every final read with the state of the replica it read', () => {
    const h = [
      op('inc', 2, 'ok'),
      op('read', 0, 'ok', { phase: 'final', node: 'n1', output: 2, replica: 0 }),
      op('read', 0, 'ok', { phase: 'final', node: 'n2', output: 0, replica: 1 }),
    ];
    const r = counterReplicas(h, took(h.slice(0, 1)), [
      { node: 'n1', value: 2 },
      { node: 'n2', value: 2 },
    ]);
    expect(check(h, r).summary).toBe('read() at n2 returned 0, but that replica holds 2');
  });

  it('says it checked nothing when there is no replica set or no update', () => {
    expect(check([op('inc', 1, 'ok')], undefined).verdict).toBe('unknown');
    const reads = [op('read', 0, 'ok', { output: 0 })];
    const res = check(reads, counterReplicas(reads, [], [{ node: 'n1', value: 0 }]));
    expect(res).toMatchObject({ verdict: 'unknown', summary: expect.stringMatching(/nothing/) });
  });

  it('is unknown, not ok, when a replica is down at the end', () => {
    const h = [op('inc', 1, 'ok')];
    const r = counterReplicas(h, took(h), [
      { node: 'n1', value: 1 },
      { node: 'n2', value: 0, up: false },
    ]);
    expect(check(h, r)).toMatchObject({
      verdict: 'unknown',
      summary: expect.stringMatching(/^n2 down/),
    });
  });
});

describe('the value against the history alone', () => {
  it('bounds a counter by its acknowledged updates, with the unknown ones in or out', () => {
    const h = [
      op('inc', 5, 'ok'),
      op('inc', 2, 'info'),
      op('dec', 1, 'info'),
      op('inc', 9, 'fail'),
    ];
    expect(valueOutsideHistory(h, 4)).toBeUndefined();
    expect(valueOutsideHistory(h, 7)).toBeUndefined();
    expect(valueOutsideHistory(h, 8)).toBe(
      'the counter reads 8, but the acknowledged increments and decrements, with the unknown ones in or out, make it between 4 and 7',
    );
  });

  it('holds a set to the elements added and never removed, and nothing no one added', () => {
    const add = (element: string, outcome: 'ok' | 'info') =>
      ({ ...op('inc', 0, outcome), f: 'add', input: { f: 'add', element } }) as Operation;
    const remove = (element: string) =>
      ({ ...op('inc', 0, 'info'), f: 'remove', input: { f: 'remove', element } }) as Operation;
    const h = [add('a', 'ok'), add('b', 'ok'), remove('b'), add('c', 'info')];
    expect(valueOutsideHistory(h, ['a'])).toBeUndefined();
    expect(valueOutsideHistory(h, ['a', 'b', 'c'])).toBeUndefined();
    expect(valueOutsideHistory(h, ['b'])).toBe(
      'the set lacks a, acknowledged added and never removed',
    );
    expect(valueOutsideHistory(h, ['a', 'z'])).toBe('the set holds z, which no client added');
  });

  it('holds a register to values some client put', () => {
    const put = (value: string) =>
      ({ ...op('inc', 0, 'ok'), f: 'put', input: { f: 'put', value, context: [] } }) as Operation;
    expect(valueOutsideHistory([put('x')], ['x'])).toBeUndefined();
    expect(valueOutsideHistory([put('x')], ['x', 'y'])).toBe(
      'the register holds "y", which no client put',
    );
  });
});
