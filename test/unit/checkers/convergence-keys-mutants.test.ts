/**
 * The per-key convergence checker (convergence-keys.ts) against broken copies of itself
 * (test/support/mutation-suite.ts). A verdict here also names how many acknowledged puts
 * last-writer-wins silently overwrote, since those are shown, not failed: a copy that hid them
 * would otherwise give the same verdict.
 */
import { checkKeyedConvergence } from '../../../src/checkers/convergence-keys.js';
import type { History, Operation } from '../../../src/core/history.js';
import type { KeyedReplicaSet } from '../../../src/core/replica-set.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';
import { get, home, keyed, put, wrote } from './convergence-keys-fixtures.js';

interface Run {
  readonly history: History;
  readonly replicas: KeyedReplicaSet;
}

const formatOp = (o: Operation) => o.f;

function judge(r: Run): string {
  const result = checkKeyedConvergence(r.history, r.replicas, 0, formatOp);
  const overwritten = (result.evidence as { overwritten?: unknown[] } | undefined)?.overwritten;
  const n = overwritten?.length ?? 0;
  return n === 0 ? result.verdict : `${result.verdict}, ${n} overwritten`;
}

const a = put('c1', 'k0', 'c1.1', 'ok');
const b = put('c2', 'k0', 'c2.1', 'ok');
const both = [
  home('n1', [
    ['n1:1', 'c1.1'],
    ['n2:1', 'c2.1'],
  ]),
  home('n2', [
    ['n1:1', 'c1.1'],
    ['n2:1', 'c2.1'],
  ]),
  home('n3', [
    ['n1:1', 'c1.1'],
    ['n2:1', 'c2.1'],
  ]),
];
const onlyB = (n: string) => home(n, [['n2:1', 'c2.1']]);
const readA = get('c2', 'k0', ['c1.1'], ['n1:1']);
const overA = put('c2', 'k0', 'c2.2', 'ok', ['n1:1']);
// Under LWW a client reading the winner c2.1 gets a context that also covers the loser n1:1.
const readWinner = get('c3', 'k0', ['c2.1'], ['n1:1', 'n2:1']);
const afterWinner = put('c3', 'k0', 'c3.1', 'ok', ['n1:1', 'n2:1']);
const k1 = put('c1', 'k1', 'c1.2', 'ok');
// A coordinator crashed before its write of c2.9 was durable and gave the same dot to c1.9.
const unsure = put('c2', 'k0', 'c2.9', 'info');
const sure = put('c1', 'k0', 'c1.9', 'ok');

const CASES: readonly RecordedCase<Run>[] = [
  {
    name: 'concurrent puts kept as siblings on every home replica',
    input: {
      history: [a, b],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(b, 'n2:1')], { k0: both }),
    },
    verdict: 'ok',
  },
  {
    name: 'a put read over by a client that read it',
    input: {
      history: [a, readA, overA],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(overA, 'n2:1')], {
        k0: ['n1', 'n2', 'n3'].map((n) => home(n, [['n2:1', 'c2.2']])),
      }),
    },
    verdict: 'ok',
  },
  {
    name: 'the third home replica is behind',
    input: {
      history: [a, b],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(b, 'n2:1')], {
        k0: [...both.slice(0, 2), home('n3', [['n1:1', 'c1.1']])],
      }),
    },
    verdict: 'violation',
  },
  {
    name: 'the second key diverged, the first agrees',
    input: {
      history: [a, b, k1],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(b, 'n2:1'), wrote(k1, 'n1:1')], {
        k0: both,
        k1: [home('n1', [['n1:1', 'c1.2']]), home('n2', [['n1:1', 'c1.2']]), home('n4', [])],
      }),
    },
    verdict: 'violation',
  },
  {
    name: 'a sibling no client read is gone',
    input: {
      history: [a, b],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(b, 'n2:1')], {
        k0: [onlyB('n1'), onlyB('n2'), onlyB('n3')],
      }),
    },
    verdict: 'violation',
  },
  {
    name: 'under lww a concurrent put overwrote one: shown, not failed',
    input: {
      history: [a, b],
      replicas: keyed('lww-hlc', [wrote(a, 'n1:1'), wrote(b, 'n2:1')], {
        k0: [onlyB('n1'), onlyB('n2'), onlyB('n3')],
      }),
    },
    verdict: 'ok, 1 overwritten',
  },
  {
    name: 'under lww a context covering a loser its client never saw',
    input: {
      history: [a, b, readWinner, afterWinner],
      replicas: keyed('lww-hlc', [wrote(a, 'n1:1'), wrote(b, 'n2:1'), wrote(afterWinner, 'n3:1')], {
        k0: ['n1', 'n2', 'n3'].map((n) => home(n, [['n3:1', 'c3.1']])),
      }),
    },
    verdict: 'ok, 1 overwritten',
  },
  {
    name: 'an acknowledged put no coordinator gave a dot',
    input: {
      history: [a, b],
      replicas: keyed('siblings', [wrote(a, 'n1:1')], {
        k0: ['n1', 'n2', 'n3'].map((n) => home(n, [['n1:1', 'c1.1']])),
      }),
    },
    verdict: 'violation',
  },
  {
    name: 'a dot given again after a crash: the acknowledged put under it is gone',
    input: {
      history: [unsure, sure],
      replicas: keyed('siblings', [wrote(unsure, 'n1:1'), wrote(sure, 'n1:1')], {
        k0: ['n1', 'n2', 'n3'].map((n) => home(n, [['n1:1', 'c2.9']])),
      }),
    },
    verdict: 'violation',
  },
  {
    name: 'a home replica down at the end',
    input: {
      history: [a, b],
      replicas: keyed('siblings', [wrote(a, 'n1:1'), wrote(b, 'n2:1')], {
        k0: [...both.slice(0, 2), home('n3', [], false)],
      }),
    },
    verdict: 'unknown',
  },
  {
    name: 'no put given a dot, nothing to converge',
    input: { history: [], replicas: keyed('siblings', [], {}) },
    verdict: 'unknown',
  },
];

const withSet = (r: Run, f: (s: KeyedReplicaSet) => KeyedReplicaSet): Run => ({
  ...r,
  replicas: f(r.replicas),
});

const MUTANTS: readonly Mutant<Run>[] = [
  {
    mistake: 'compares each key’s home replicas only as far as the second',
    judge: (r) =>
      judge(
        withSet(r, (s) => ({
          ...s,
          keys: s.keys.map((k) => ({ ...k, homes: k.homes.slice(0, 2) })),
        })),
      ),
  },
  {
    mistake: 'compares the home replicas of the first key only',
    judge: (r) =>
      judge(
        withSet(r, (s) => ({
          ...s,
          keys: s.keys.map((k, i) =>
            i === 0
              ? k
              : { ...k, homes: k.homes.map((h) => ({ ...h, hash: k.homes[0]?.hash ?? '' })) },
          ),
        })),
      ),
  },
  {
    mistake: 'takes every missing write for one last-writer-wins chose to drop',
    judge: (r) => judge(withSet(r, (s) => ({ ...s, resolution: 'lww-hlc' }))),
  },
  {
    mistake: 'fails a run for what last-writer-wins dropped',
    judge: (r) => judge(withSet(r, (s) => ({ ...s, resolution: 'siblings' }))),
  },
  {
    mistake: 'takes a context covering a dot as its client having read it, under lww',
    judge: (r) =>
      judge({
        ...r,
        history: r.history.map((o) =>
          o.f === 'get'
            ? { ...o, output: { ...(o.output as object), values: ['c1.1', 'c2.1'] } }
            : o,
        ),
      }),
  },
  {
    mistake: 'takes a write as kept when a home replica holds its dot, whatever the value',
    judge: (r) =>
      judge(
        withSet(r, (s) => ({
          ...s,
          writes: s.writes.map((w) => {
            const held = s.keys.find((k) => k.key === w.key)?.homes[0]?.versions;
            const same = held?.find(([d]) => d === w.dot);
            return same === undefined ? w : { ...w, value: same[1] };
          }),
        })),
      ),
  },
  {
    mistake: 'judges only the home replicas that are up',
    judge: (r) =>
      judge(
        withSet(r, (s) => ({
          ...s,
          keys: s.keys.map((k) => ({ ...k, homes: k.homes.filter((h) => h.up) })),
        })),
      ),
  },
  {
    mistake: 'calls a run with nothing to compare ok',
    judge: (r) => {
      const v = judge(r);
      return v === 'unknown' ? 'ok' : v;
    },
  },
];

mutationSuite('per-key convergence checker', judge, CASES, MUTANTS);
