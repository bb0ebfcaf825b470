/**
 * The convergence checker against broken copies of itself (test/support/mutation-suite.ts): each
 * mutant is `checkConvergence` behind a wrapper that breaks one of its rules the way a real
 * mistake would, and the recorded runs below must give at least one of them a different verdict.
 */
import { checkConvergence } from '../../../src/checkers/convergence.js';
import { stableStringify } from '../../../src/core/encoding.js';
import type { History, Operation } from '../../../src/core/history.js';
import type { ReplicaSet } from '../../../src/core/replica-set.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';
import { counterReplicas, op, took } from './convergence-fixtures.js';

interface Run {
  readonly history: History;
  readonly replicas: ReplicaSet | undefined;
}

const formatOp = (o: Operation) => o.f;
const judge = (r: Run) => checkConvergence(r.history, r.replicas, 0, formatOp).verdict;

function run(history: Operation[], make: (h: Operation[]) => ReplicaSet | undefined): Run {
  return { history, replicas: make(history) };
}

const CASES: readonly RecordedCase<Run>[] = [
  {
    name: 'three replicas agree on the sum',
    input: run([op('inc', 2, 'ok'), op('dec', 1, 'ok')], (h) =>
      counterReplicas(h, took(h), [
        { node: 'n1', value: 1 },
        { node: 'n2', value: 1 },
        { node: 'n3', value: 1 },
      ]),
    ),
    verdict: 'ok',
  },
  {
    name: 'equal values over different states (one replica lacks a causal context)',
    input: run([op('inc', 1, 'ok')], (h) =>
      counterReplicas(h, took(h), [
        { node: 'n1', value: 1, hash: 'a' },
        { node: 'n2', value: 1, hash: 'b' },
      ]),
    ),
    verdict: 'violation',
  },
  {
    name: 'the third replica diverged',
    input: run([op('inc', 1, 'ok')], (h) =>
      counterReplicas(h, took(h), [
        { node: 'n1', value: 1 },
        { node: 'n2', value: 1 },
        { node: 'n3', value: 0 },
      ]),
    ),
    verdict: 'violation',
  },
  {
    // Within the history's bounds (1..3), so only the specification of what they applied tells.
    name: 'replicas applied an unknown inc(2), yet read as if they had not',
    input: run([op('inc', 1, 'ok'), op('inc', 2, 'info')], (h) =>
      counterReplicas(h, took(h), [
        { node: 'n1', value: 1 },
        { node: 'n2', value: 1 },
      ]),
    ),
    verdict: 'violation',
  },
  {
    name: 'an acknowledged update never applied',
    input: run([op('inc', 1, 'ok'), op('inc', 2, 'ok')], (h) =>
      counterReplicas(h, took(h).slice(0, 1), [{ node: 'n1', value: 1 }]),
    ),
    verdict: 'violation',
  },
  {
    name: 'an unknown update never applied',
    input: run([op('inc', 1, 'ok'), op('inc', 2, 'info')], (h) =>
      counterReplicas(h, took(h).slice(0, 1), [{ node: 'n1', value: 1 }]),
    ),
    verdict: 'ok',
  },
  {
    name: 'a replica down at the end',
    input: run([op('inc', 1, 'ok')], (h) =>
      counterReplicas(h, took(h), [
        { node: 'n1', value: 1 },
        { node: 'n2', value: 0, up: false },
      ]),
    ),
    verdict: 'unknown',
  },
  {
    name: 'reads only, nothing to converge',
    input: run([op('read', 0, 'ok', { output: 0 })], (h) =>
      counterReplicas(h, [], [{ node: 'n1', value: 0 }]),
    ),
    verdict: 'unknown',
  },
];

/** The replica set with one thing rewritten. */
const withReplicas = (r: Run, f: (s: ReplicaSet) => ReplicaSet): Run =>
  r.replicas === undefined ? r : { ...r, replicas: f(r.replicas) };

const MUTANTS: readonly Mutant<Run>[] = [
  {
    mistake: 'compares replicas by value instead of by state',
    judge: (r) =>
      judge(
        withReplicas(r, (s) => ({
          ...s,
          replicas: s.replicas.map((v) => ({ ...v, hash: stableStringify(v.value) })),
        })),
      ),
  },
  {
    mistake: 'compares each replica with the next only as far as the second',
    judge: (r) => judge(withReplicas(r, (s) => ({ ...s, replicas: s.replicas.slice(0, 2) }))),
  },
  {
    mistake: 'never asks the data type’s specification',
    judge: (r) =>
      judge(withReplicas(r, (s) => ({ ...s, spec: () => s.replicas[0]?.value ?? null }))),
  },
  {
    mistake: 'trusts the replicas to hold whatever clients were told',
    judge: (r) =>
      judge({
        ...r,
        history: r.history.map((o) => (o.outcome === 'ok' ? { ...o, outcome: 'info' } : o)),
      }),
  },
  {
    mistake: 'counts an unknown outcome as acknowledged',
    judge: (r) =>
      judge({
        ...r,
        history: r.history.map((o) => (o.outcome === 'info' ? { ...o, outcome: 'ok' } : o)),
      }),
  },
  {
    mistake: 'judges only the replicas that are up',
    judge: (r) =>
      judge(withReplicas(r, (s) => ({ ...s, replicas: s.replicas.filter((v) => v.up) }))),
  },
  {
    mistake: 'calls a run with nothing to compare ok',
    judge: (r) => {
      const v = judge(r);
      return v === 'unknown' ? 'ok' : v;
    },
  },
];

mutationSuite('convergence checker', judge, CASES, MUTANTS);
