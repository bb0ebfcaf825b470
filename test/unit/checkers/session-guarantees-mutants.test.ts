/**
 * The session-guarantees checker against broken copies of itself (test/support/mutation-suite.ts):
 * each mutant is `checkSessionGuarantees` given a history rewritten the way one real mistake
 * would read it, and the recorded histories below must give at least one of them a different
 * verdict.
 */
import { describe } from 'vitest';
import { checkSessionGuarantees } from '../../../src/checkers/session-guarantees.js';
import type { History, Operation } from '../../../src/core/history.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';
import {
  formatOp,
  kvContextHistory,
  kvHistory,
  registerHistory,
} from './session-guarantees-fixtures.js';

const judge = (h: History) => checkSessionGuarantees(h, formatOp).verdict;
const rewrite = (h: History, f: (op: Operation) => Partial<Operation>): History =>
  h.map((op) => ({ ...op, ...f(op) }));

const CASES: readonly RecordedCase<History>[] = [
  {
    name: 'a read misses its own put after an older put',
    input: kvHistory([
      { client: 'c2', f: 'put', value: 'c2.1' },
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c1', f: 'get', value: 'c2.1' },
    ]),
    verdict: 'violation',
  },
  {
    name: 'a concurrent put erased the append',
    input: kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1', at: 0, done: 5 },
      { client: 'c2', f: 'put', value: 'c2.1', at: 3, done: 8 },
      { client: 'c1', f: 'get', value: 'c2.1', at: 20 },
    ]),
    verdict: 'ok',
  },
  {
    name: 'a failed and an unknown write are missing',
    input: kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c1', f: 'append', value: 'c1.2', outcome: 'fail' },
      { client: 'c1', f: 'append', value: 'c1.3', outcome: 'info' },
      { client: 'c1', f: 'get', value: 'c1.1' },
    ]),
    verdict: 'ok',
  },
  {
    name: 'a read misses another client’s write (stale, not a session violation)',
    input: kvHistory([
      { client: 'c2', f: 'append', value: 'c2.1' },
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c1', f: 'get', value: 'c1.1' },
    ]),
    verdict: 'ok',
  },
  {
    name: 'a write to one key, a read of another',
    input: kvHistory([
      { client: 'c1', f: 'put', key: 'k1', value: 'c1.1' },
      { client: 'c1', f: 'get', key: 'k2', value: null },
    ]),
    verdict: 'unknown',
  },
  {
    name: 'a register put over the value by its context',
    input: registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c2', f: 'get', values: ['c1.1'], context: ['n1:1'] },
      { client: 'c2', f: 'put', value: 'c2.1', context: ['n1:1'] },
      { client: 'c1', f: 'get', values: ['c2.1'], context: ['n2:1'] },
    ]),
    verdict: 'ok',
  },
  {
    name: 'a later read of the same client shows less',
    input: kvHistory([
      { client: 'c2', f: 'append', value: 'c2.1' },
      { client: 'c1', f: 'get', value: 'c2.1' },
      { client: 'c2', f: 'get', value: 'c2.1' },
      { client: 'c1', f: 'get', value: null },
    ]),
    verdict: 'violation',
  },
  {
    name: 'a kv-context read concurrent with its client’s own put',
    input: kvContextHistory([
      { client: 'c1', f: 'put', value: 'c1.1', vector: ['n1:1'] },
      { client: 'c2', f: 'put', value: 'c2.1', vector: ['n2:1'] },
      { client: 'c1', f: 'get', values: ['c2.1'], context: ['n2:1'] },
    ]),
    verdict: 'violation',
  },
  {
    name: 'a kv-context read whose context dominates a last-writer-wins loser',
    input: kvContextHistory([
      { client: 'c1', f: 'put', value: 'c1.1', vector: ['n1:1'] },
      { client: 'c2', f: 'put', value: 'c2.1', vector: ['n2:1'] },
      { client: 'c2', f: 'get', values: ['c1.1'], context: ['n1:1', 'n2:1'] },
    ]),
    verdict: 'ok',
  },
];

/** A kv-context history with each get's context and each put's vector rewritten. */
const revector = (h: History, get: (c: string[]) => string[], put: (c: string[]) => string[]) =>
  rewrite(h, (op) => {
    const out = op.output as { values?: string[]; context?: string[] } | undefined;
    if (out?.context === undefined || !('key' in (op.input as object))) return {};
    return { output: { ...out, context: (op.f === 'get' ? get : put)(out.context) } };
  });

const MUTANTS: readonly Mutant<History>[] = [
  {
    mistake: 'ignores real time, so any put a read shows excuses a missing write',
    judge: (h) => judge(rewrite(h, () => ({ completeUs: Number.MAX_SAFE_INTEGER }))),
  },
  {
    mistake: 'forgets that a put replaces the value (reads it as an append)',
    judge: (h) =>
      judge(
        rewrite(h, (op) =>
          op.f === 'put' && 'key' in (op.input as object)
            ? { f: 'append', input: { ...(op.input as object), f: 'append' } }
            : {},
        ),
      ),
  },
  {
    mistake: 'holds a client to writes that failed or may not have happened',
    judge: (h) =>
      judge(
        rewrite(h, (op) =>
          op.outcome === 'ok' ? {} : { outcome: 'ok', completeUs: op.invokeUs + 1 },
        ),
      ),
  },
  {
    mistake: 'ignores sessions (every client’s writes count as the reader’s own)',
    judge: (h) => judge(rewrite(h, () => ({ client: 'c1' }))),
  },
  {
    mistake: 'compares writes across keys',
    judge: (h) =>
      judge(
        rewrite(h, (op) =>
          'key' in (op.input as object) ? { input: { ...(op.input as object), key: 'k' } } : {},
        ),
      ),
  },
  {
    mistake: 'ignores causal contexts (a register put replaces nothing)',
    judge: (h) =>
      judge(
        rewrite(h, (op) =>
          op.f === 'put' && 'context' in (op.input as object)
            ? { input: { ...(op.input as object), context: [] } }
            : {},
        ),
      ),
  },
  {
    mistake: 'holds a read only to the session’s previous read (monotonic reads)',
    judge: (h) => {
      // Each read's session becomes the pair it forms with the client's previous read.
      const last = new Map<string, number>();
      return judge(
        rewrite(h, (op) => {
          if (op.f !== 'get') return {};
          const n = (last.get(op.client) ?? 0) + 1;
          last.set(op.client, n);
          return { client: `${op.client}#${Math.floor(n / 2)}` };
        }),
      );
    },
  },
  {
    mistake: 'forgets the vectors puts return (a kv-context write is judged by its value alone)',
    judge: (h) =>
      judge(
        revector(
          h,
          (c) => c,
          () => [],
        ),
      ),
  },
  {
    mistake: 'ignores a kv-context read’s context (it holds only the values it shows)',
    judge: (h) =>
      judge(
        revector(
          h,
          () => ['n0:1'],
          (c) => c,
        ),
      ),
  },
  {
    mistake: 'compares vectors only on the nodes the read’s context names',
    judge: (h) => {
      const names = new Set(
        h
          .flatMap((op) =>
            op.f === 'get' ? ((op.output as { context?: string[] })?.context ?? []) : [],
          )
          .map((e) => e.split(':')[0]),
      );
      return judge(
        revector(
          h,
          (c) => c,
          (c) => c.filter((e) => names.has(e.split(':')[0])),
        ),
      );
    },
  },
];

describe('session-guarantees checker mutants', () => {
  mutationSuite('session-guarantees', judge, CASES, MUTANTS);
});
