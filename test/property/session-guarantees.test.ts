/**
 * The session-guarantees checker never reports a violation that is not one: a single server
 * that applies operations one at a time, in real-time order, keeps every session guarantee, so
 * on any history it produces the checker finds no violation and no stale read. Two servers
 * that never exchange anything (a client reads from the other one) must show some on a history
 * built to need them, so the property is not passing by judging nothing.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  checkSessionGuarantees,
  type SessionGuaranteesEvidence,
} from '../../src/checkers/session-guarantees.js';
import type { History } from '../../src/core/history.js';
import {
  formatOp,
  kvHistory,
  registerHistory,
  type Step,
} from '../unit/checkers/session-guarantees-fixtures.js';

const RUNS = { numRuns: 200 };

interface Action {
  readonly client: string;
  readonly f: 'get' | 'put' | 'append';
  readonly key: string;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  client: fc.constantFrom('c1', 'c2', 'c3'),
  f: fc.constantFrom('get' as const, 'put' as const, 'append' as const),
  key: fc.constantFrom('k0', 'k1'),
});

/** Sequential kv: each operation sees the effect of every one before it. */
function sequentialKv(actions: readonly Action[]): History {
  const state = new Map<string, string>();
  const n = new Map<string, number>();
  const steps: Step[] = actions.map((a) => {
    if (a.f === 'get')
      return { client: a.client, f: 'get', key: a.key, value: state.get(a.key) ?? null };
    const i = (n.get(a.client) ?? 0) + 1;
    n.set(a.client, i);
    const value = `${a.client}.${i}`;
    const before = state.get(a.key);
    state.set(a.key, a.f === 'put' || before === undefined ? value : `${before} ${value}`);
    return { client: a.client, f: a.f, key: a.key, value };
  });
  return kvHistory(steps);
}

/** Sequential multi-value register: a put replaces the siblings its client last read. */
function sequentialRegister(actions: readonly Action[]): History {
  let siblings: { value: string; dot: string }[] = [];
  const lastContext = new Map<string, string[]>();
  let dots = 0;
  const steps: Step[] = actions.map((a, i) => {
    if (a.f === 'get') {
      const sorted = [...siblings].sort((x, y) => (x.value < y.value ? -1 : 1));
      const context = sorted.map((s) => s.dot);
      lastContext.set(a.client, context);
      return { client: a.client, f: 'get', values: sorted.map((s) => s.value), context };
    }
    const context = lastContext.get(a.client) ?? [];
    const value = `${a.client}.${i}`;
    siblings = [
      ...siblings.filter((s) => !context.includes(s.dot)),
      { value, dot: `n1:${++dots}` },
    ];
    return { client: a.client, f: 'put', value, context };
  });
  return registerHistory(steps);
}

const evidenceOf = (h: History) =>
  checkSessionGuarantees(h, formatOp).evidence as SessionGuaranteesEvidence | undefined;

describe('session-guarantees checker soundness', () => {
  test.prop([fc.array(actionArb, { maxLength: 40 })], RUNS)(
    'finds nothing wrong with a sequential kv store',
    (actions) => {
      const r = checkSessionGuarantees(sequentialKv(actions), formatOp);
      expect(r.verdict).not.toBe('violation');
      expect(evidenceOf(sequentialKv(actions))?.staleReads ?? 0).toBe(0);
    },
  );

  test.prop([fc.array(actionArb, { maxLength: 40 })], RUNS)(
    'finds nothing wrong with a sequential multi-value register',
    (actions) => {
      const h = sequentialRegister(actions);
      expect(checkSessionGuarantees(h, formatOp).verdict).not.toBe('violation');
      expect(evidenceOf(h)?.staleReads ?? 0).toBe(0);
    },
  );

  test.prop([fc.array(actionArb, { minLength: 1, maxLength: 40 })], RUNS)(
    'finds the read-your-writes violation of a read that misses its client’s last put',
    (actions) => {
      const h = sequentialKv([...actions, { client: 'c1', f: 'put', key: 'k0' }]);
      const blind = [
        ...h,
        {
          ...(h[0] as History[number]),
          id: h.length,
          client: 'c1',
          f: 'get',
          input: { f: 'get', key: 'k0' },
          output: null,
          invokeUs: 1e9,
          completeUs: 1e9 + 1,
          outcome: 'ok' as const,
        },
      ];
      expect(evidenceOf(blind)?.violations['read-your-writes']).toBe(1);
    },
  );
});
