/**
 * The durability checker's kv-context rules against broken copies of them: an acknowledged put
 * the final get's causal context does not cover is lost, even when the final value is a put whose
 * outcome is unknown (durability-context.ts); and, for deletes (durability-deletes.ts), a value
 * back in the final read after an acknowledged delete had read it is a resurrection (research
 * catalogue #26), a value beside a delete that had not read it is a sibling the delete could not
 * remove, and a write a delete may have removed is not lost.
 */
import { describe, expect, it } from 'vitest';
import { checkDurability } from '../../../src/checkers/durability.js';
import type { History, Operation } from '../../../src/core/history.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

let nextId = 0;

const op = (f: string, input: unknown, output: unknown, at: number, phase = 'faulty'): Operation =>
  ({
    id: nextId++,
    client: 'c1',
    f,
    input,
    output,
    invokeUs: at,
    completeUs: at + 1,
    outcome: 'ok',
    phase,
  }) as Operation;

/** An acknowledged put of `value`, acknowledged with the version vector `vv`. */
const put = (value: string, vv: string[], at: number) =>
  op('put', { f: 'put', key: 'k', value, context: [] }, { context: vv }, at);
/** An acknowledged delete whose client had read the context `ctx`. */
const del = (ctx: string[], at: number) =>
  op('delete', { f: 'delete', key: 'k', context: ctx }, { context: [] }, at);
/** The final get, showing `values` with the causal context `context`. */
const final = (values: string[], context: string[] = []) =>
  op('get', { f: 'get', key: 'k' }, { values, context }, 100, 'final');
/** A put whose outcome is unknown (it timed out), invoked at `at`. */
const unknownPut = (value: string, at: number): Operation => ({
  ...op('put', { f: 'put', key: 'k', value, context: [] }, null, at),
  outcome: 'info',
  completeUs: undefined,
});

const CASES: readonly RecordedCase<History>[] = [
  {
    name: 'a delete that read c1.1 removed it for good',
    input: [put('c1.1', ['n1:1'], 0), del(['n1:1'], 10), final([])],
    verdict: 'ok',
  },
  {
    name: 'c1.1 is back after a delete that read it',
    input: [put('c1.1', ['n1:1'], 0), del(['n1:1'], 10), final(['c1.1'])],
    verdict: 'violation',
  },
  {
    name: 'c1.1 is back after a delete that read it and a later put',
    input: [
      put('c1.1', ['n1:1'], 0),
      del(['n1:1'], 10),
      put('c1.2', ['n1:3'], 20),
      final(['c1.1', 'c1.2']),
    ],
    verdict: 'violation',
  },
  {
    name: 'a delete that read only n1:1 leaves the concurrent c2.1 (n2:1) as it was',
    input: [put('c1.1', ['n1:1'], 0), put('c2.1', ['n2:1'], 1), del(['n1:1'], 10), final(['c2.1'])],
    verdict: 'ok',
  },
  {
    name: 'a delete that read n1:1 but not n1:2 leaves c1.2',
    input: [put('c1.1', ['n1:1'], 0), put('c1.2', ['n1:2'], 5), del(['n1:1'], 10), final(['c1.2'])],
    verdict: 'ok',
  },
  {
    name: 'a put after the delete is kept',
    input: [
      put('c1.1', ['n1:1'], 0),
      del(['n1:1'], 10),
      put('c1.2', ['n1:3'], 20),
      final(['c1.2']),
    ],
    verdict: 'ok',
  },
  {
    name: 'a delete that read n1:1 and n2:1 leaves c1.2, acknowledged as n1:2 n2:1',
    input: [
      put('c2.1', ['n2:1'], 0),
      put('c1.2', ['n1:2', 'n2:1'], 5),
      del(['n1:1', 'n2:1'], 10),
      final(['c1.2']),
    ],
    verdict: 'ok',
  },
  {
    name: 'LWW: the final value is an unknown put, and its context covers both acknowledged puts',
    input: [
      put('c1.1', ['n1:1'], 0),
      put('c2.1', ['n2:1'], 1),
      unknownPut('c3.1', 2),
      final(['c3.1'], ['n1:1', 'n2:1', 'n3:1']),
    ],
    verdict: 'ok',
  },
  {
    name: 'LWW: the final value is an unknown put, and its context leaves c2.1 (n2:1) out',
    input: [
      put('c1.1', ['n1:1'], 0),
      put('c2.1', ['n2:1'], 1),
      unknownPut('c3.1', 2),
      final(['c3.1'], ['n1:1', 'n3:1']),
    ],
    verdict: 'violation',
  },
];

const verdictOf = (h: History) => checkDurability(h).verdict;

const MUTANTS: readonly Mutant<History>[] = [
  {
    mistake: 'does not look for deleted values that came back',
    judge: (h) => verdictOf(h.filter((o) => o.f !== 'delete')),
  },
  {
    mistake: 'takes a delete for having read every put it came after in real time',
    // Every delete's context becomes every entry of the puts acknowledged before it.
    judge: (h) =>
      verdictOf(
        h.map((o) => {
          if (o.f !== 'delete') return o;
          const before = h.filter((p) => p.f === 'put' && (p.completeUs ?? 0) < o.invokeUs);
          const context = before.flatMap((p) => (p.output as { context: string[] }).context);
          return { ...o, input: { ...(o.input as object), context } };
        }),
      ),
  },
  {
    mistake: 'compares a delete’s context with a put’s by one shared entry, not all of them',
    // Each acknowledged put's vector shrinks to its last entry.
    judge: (h) =>
      verdictOf(
        h.map((o) =>
          o.f === 'put' && o.outcome === 'ok'
            ? { ...o, output: { context: (o.output as { context: string[] }).context.slice(-1) } }
            : o,
        ),
      ),
  },
  {
    mistake: 'ignores the final get’s causal context',
    judge: (h) =>
      verdictOf(
        h.map((o) =>
          o.f === 'get' && o.phase === 'final'
            ? { ...o, output: { values: (o.output as { values: string[] }).values } }
            : o,
        ),
      ),
  },
];

mutationSuite('durability on kv-context', verdictOf, CASES, MUTANTS);

describe('durability with deletes', () => {
  it('names the value that came back and when its delete was acknowledged', () => {
    const r = checkDurability([put('c1.1', ['n1:1'], 0), del(['n1:1'], 10), final(['c1.1'])]);
    expect(r.summary).toBe(
      '1 deleted values came back (first: put(k, c1.1) by c1, removed by a delete ' +
        'acknowledged at 11us, is in the final read)',
    );
  });
});

describe('a kv-context delete whose context cannot be read', () => {
  /** The same delete as `del`, its context replaced (or left out, for `undefined`). */
  const delWith = (context: unknown, at: number) =>
    op(
      'delete',
      context === undefined ? { f: 'delete', key: 'k' } : { f: 'delete', key: 'k', context },
      { context: [] },
      at,
    );

  it.each([
    ['no context', undefined],
    ['a null context', null],
    ['a context that is one string', 'n1:1'],
    ['a context of numbers', [1, 2]],
  ])('with %s is not judged, and the result says so, never a throw', (_, context) => {
    const r = checkDurability([put('c1.1', ['n1:1'], 0), delWith(context, 10), final(['c1.1'])]);
    // Not the kv rule (a delete removes every write acknowledged before it): that would call
    // c1.1 resurrected, on a delete that may have read nothing.
    expect(r.verdict).toBe('ok');
    expect(r.summary).toBe(
      'all 1 acknowledged writes on 1 keys survived; not judged: 1 acknowledged deletes carried ' +
        'no readable causal context, so whether what they removed came back is unknown ' +
        '(first: delete(k) by c1, acknowledged at 11us)',
    );
    expect(r.evidence).toMatchObject({ resurrected: [], deletesUnjudged: [{ key: 'k' }] });
  });

  it('leaves a kv delete, which carries no context, judged by real time', () => {
    const kvPut = op('put', { f: 'put', key: 'k', value: 'c1.1' }, null, 0);
    const kvDel = op('delete', { f: 'delete', key: 'k' }, null, 10);
    const r = checkDurability([
      kvPut,
      kvDel,
      op('get', { f: 'get', key: 'k' }, 'c1.1', 100, 'final'),
    ]);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toMatch(/1 deleted values came back/);
    expect(r.summary).not.toMatch(/not judged/);
  });
});
