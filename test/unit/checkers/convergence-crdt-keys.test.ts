/**
 * The per-key convergence checker on CRDT values (convergence-crdt-keys.ts), against broken
 * copies of itself: every acknowledged update is in the state its home replicas converged to
 * (their clock covers its dot, a dot given again after a crash naming only the last write), and
 * the value agrees with the updates joined, as the history states them.
 */
import { describe, expect, it } from 'vitest';
import { valueProblem } from '../../../src/checkers/convergence-crdt-keys.js';
import { checkKeyedConvergence } from '../../../src/checkers/convergence-keys.js';
import type { History, Operation, OpOutcome } from '../../../src/core/history.js';
import type { KeyedReplicaSet, KeyReplica, VersionEntries } from '../../../src/core/replica-set.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';
import { keyed } from './convergence-keys-fixtures.js';

interface Run {
  readonly history: History;
  readonly replicas: KeyedReplicaSet;
}

let nextId = 100;

function update(
  f: string,
  arg: number | string,
  outcome: OpOutcome,
  key: string | null = 'k0',
): Operation {
  const id = nextId++;
  const on = key === null ? {} : { key };
  const input = typeof arg === 'number' ? { f, by: arg, ...on } : { f, element: arg, ...on };
  return {
    id,
    client: 'c1',
    f,
    input,
    output: outcome === 'ok' ? null : undefined,
    invokeUs: id * 10,
    completeUs: outcome === 'info' ? undefined : id * 10 + 5,
    outcome,
    phase: 'faulty',
    node: 'n1',
  };
}

const wrote = (op: Operation, dot: string, key = (op.input as { key: string }).key) => ({
  key,
  opId: op.id,
  dot,
  value: '',
  context: [],
});

/** Three home replicas holding one state: the writes its clock joined, and its value. */
const homes = (clock: VersionEntries, read: unknown, hash = 'h'): KeyReplica[] =>
  ['n1', 'n2', 'n3'].map((node) => ({
    node,
    up: true,
    hash,
    versions: [],
    changedAtUs: 100,
    crdt: { clock, read },
  }));

const formatOp = (o: Operation) => o.f;
const judge = (r: Run) => checkKeyedConvergence(r.history, r.replicas, 0, formatOp).verdict;

const inc3 = update('inc', 3, 'ok');
const dec1 = update('dec', 1, 'ok');
const lostInc = update('inc', 5, 'info');
const reused = update('inc', 2, 'ok');
const timedOut = update('inc', 5, 'info');
const addE0 = update('add', 'e0', 'ok');
const addE1 = update('add', 'e1', 'ok');
const removeE0 = update('remove', 'e0', 'ok');

const counter = (
  read: number,
  clock: VersionEntries = [
    ['n1', 1],
    ['n2', 1],
  ],
) => keyed('crdt', [wrote(inc3, 'n1:1'), wrote(dec1, 'n2:1')], { k0: homes(clock, read) });
const set = (read: readonly string[]) =>
  keyed('crdt', [wrote(addE0, 'n1:1'), wrote(addE1, 'n2:1'), wrote(removeE0, 'n1:2')], {
    k0: homes(
      [
        ['n1', 2],
        ['n2', 1],
      ],
      read,
    ),
  });

/** A workload with no keys (one counter, `null`) on a store whose one key is not k0. */
const plainInc = update('inc', 3, 'ok', null);
const plainDec = update('dec', 1, 'ok', null);
const plainCounter = (read: number) =>
  keyed('crdt', [wrote(plainInc, 'n1:1', 'solo'), wrote(plainDec, 'n2:1', 'solo')], {
    solo: homes(
      [
        ['n1', 1],
        ['n2', 1],
      ],
      read,
    ),
  });
/** Two keys, neither k0: k1 holds an increment, k2 a decrement. */
const incK1 = update('inc', 3, 'ok', 'k1');
const decK2 = update('dec', 1, 'ok', 'k2');
const twoKeys = (readK2: number) =>
  keyed('crdt', [wrote(incK1, 'n1:1'), wrote(decK2, 'n2:1')], {
    k1: homes([['n1', 1]], 3),
    k2: homes([['n2', 1]], readK2),
  });
const undotted = update('inc', 4, 'ok', 'k5'); // a key no write went to

const CASES: readonly RecordedCase<Run>[] = [
  {
    name: 'updates naming no key, joined by the one key the store holds',
    input: { history: [plainInc, plainDec], replicas: plainCounter(2) },
    verdict: 'ok',
  },
  {
    name: 'updates naming no key, on a store key other than k0, counted wrong',
    input: { history: [plainInc, plainDec], replicas: plainCounter(4) },
    verdict: 'violation',
  },
  {
    name: 'two keys other than k0, each joining its own update',
    input: { history: [incK1, decK2], replicas: twoKeys(-1) },
    verdict: 'ok',
  },
  {
    name: 'two keys other than k0, the second counted wrong',
    input: { history: [incK1, decK2], replicas: twoKeys(1) },
    verdict: 'violation',
  },
  {
    name: 'an acknowledged update on a key no coordinator gave a dot',
    input: { history: [incK1, decK2, undotted], replicas: twoKeys(-1) },
    verdict: 'violation',
  },
  {
    name: 'a counter that never joined an update that timed out',
    input: {
      history: [inc3, dec1, timedOut],
      replicas: keyed('crdt', [...counter(2).writes, wrote(timedOut, 'n3:1')], {
        k0: homes(
          [
            ['n1', 1],
            ['n2', 1],
          ],
          2,
        ),
      }),
    },
    verdict: 'ok',
  },
  {
    name: 'a counter that joined both updates',
    input: { history: [inc3, dec1], replicas: counter(2) },
    verdict: 'ok',
  },
  {
    name: 'a counter that counted a decrement as an increment',
    input: { history: [inc3, dec1], replicas: counter(4) },
    verdict: 'violation',
  },
  {
    name: 'a counter missing an acknowledged update',
    input: { history: [inc3, dec1], replicas: counter(3, [['n1', 1]]) },
    verdict: 'violation',
  },
  {
    name: 'a dot given again after a crash: only the last write under it was joined',
    input: {
      history: [lostInc, reused],
      replicas: keyed('crdt', [wrote(lostInc, 'n1:1'), wrote(reused, 'n1:1')], {
        k0: homes([['n1', 1]], 2),
      }),
    },
    verdict: 'ok',
  },
  {
    name: 'a set whose remove took away the add it saw',
    input: { history: [addE0, addE1, removeE0], replicas: set(['e1']) },
    verdict: 'ok',
  },
  {
    name: 'a set that dropped an element no update removed',
    input: { history: [addE0, addE1, removeE0], replicas: set([]) },
    verdict: 'violation',
  },
  {
    name: 'a set holding an element no update added',
    input: { history: [addE0, addE1, removeE0], replicas: set(['e1', 'e9']) },
    verdict: 'violation',
  },
  {
    name: 'home replicas holding different states',
    input: {
      history: [inc3, dec1],
      replicas: keyed('crdt', counter(2).writes, {
        k0: [
          ...homes(
            [
              ['n1', 1],
              ['n2', 1],
            ],
            2,
          ).slice(0, 2),
          ...homes([['n1', 1]], 3, 'other').slice(2),
        ],
      }),
    },
    verdict: 'violation',
  },
];

const MUTANTS: readonly Mutant<Run>[] = [
  {
    mistake: 'judges CRDT values as versioned puts',
    judge: (r) => judge({ ...r, replicas: { ...r.replicas, resolution: 'siblings' } }),
  },
  {
    mistake: 'takes every write given a dot as joined, whatever the clock',
    judge: (r) =>
      judge({
        ...r,
        replicas: {
          ...r.replicas,
          keys: r.replicas.keys.map((k) => ({
            ...k,
            homes: k.homes.map((h) => ({
              ...h,
              crdt: {
                clock: [
                  ['n1', 99],
                  ['n2', 99],
                  ['n3', 99],
                ] as VersionEntries,
                read: h.crdt?.read,
              },
            })),
          })),
        },
      }),
  },
];

mutationSuite('per-key convergence of CRDT values', judge, CASES, MUTANTS);

describe('a long history', () => {
  /** `n` acknowledged increments of 1 over `keys` keys, each joined by its key's state. */
  function long(n: number, keys: number, joinedOf: (key: string, c: number) => number): Run {
    const history: Operation[] = [];
    const writes = [];
    const count = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const op = update('inc', 1, 'ok', `k${i % keys}`);
      const key = `k${i % keys}`;
      const c = (count.get(key) ?? 0) + 1;
      count.set(key, c);
      history.push(op);
      writes.push(wrote(op, `n1:${c}`));
    }
    const held = [...count].map(([key, c]) => {
      const j = joinedOf(key, c);
      return [key, homes([['n1', j]], j)] as const;
    });
    return { history, replicas: keyed('crdt', writes, Object.fromEntries(held)) };
  }

  it('judges 50,000 updates on one key, and on 1,000 keys, naming the one not joined', () => {
    expect(judge(long(50_000, 1, (_, c) => c))).toBe('ok');
    expect(judge(long(50_000, 1_000, (_, c) => c))).toBe('ok');
    const missing = long(50_000, 1_000, (k, c) => (k === 'k999' ? c - 1 : c));
    const r = checkKeyedConvergence(missing.history, missing.replicas, 0, (o) => `#${o.id}`);
    expect(r.verdict).toBe('violation');
    const last = missing.history.at(-1)!;
    expect(r.summary).toBe(
      `k999: the acknowledged #${last.id} is not in the state its home replicas converged to (n1's clock n1:49)`,
    );
  });
});

describe('a CRDT value against the updates it joined', () => {
  it('holds a counter to increments less decrements, not their sum or the increments alone', () => {
    expect(valueProblem([inc3, dec1], 2)).toBeUndefined();
    expect(valueProblem([inc3, dec1], 4)).toMatch(/converged to 4, but .* sum to 2/);
    expect(valueProblem([inc3, dec1], 3)).toMatch(/sum to 2/);
  });

  it('lets a concurrent add win over a remove, and nothing else keep an element', () => {
    expect(valueProblem([addE0, removeE0], ['e0'])).toBeUndefined();
    expect(valueProblem([addE0, removeE0], [])).toBeUndefined();
    expect(valueProblem([addE0], [])).toMatch(/without e0/);
    expect(valueProblem([removeE0], ['e0'])).toMatch(/holding e0 that no update it joined added/);
  });
});
