/**
 * The serializability checker against broken copies of itself: each mutant is `checkSerializable`
 * with one rule broken, and the known-anomaly histories must give at least one of them a
 * different verdict. Leaving out anti-dependencies is the mistake the issue names: it passes
 * every G0 and G1c and misses write skew and lost updates.
 */
import { checkSerializable } from '../../../src/checkers/serializability/check.js';
import { RW, WR, WW } from '../../../src/checkers/serializability/dependency-graph.js';
import type { Txn } from '../../../src/checkers/serializability/txn.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';
import { KNOWN_CASES } from './serializability/cases.js';

const verdictOf = (txns: readonly Txn[], types?: number) =>
  checkSerializable(txns, types === undefined ? {} : { types }).anomalyTypes.join(',') || 'ok';

const cases: RecordedCase<Txn[]>[] = KNOWN_CASES.map((c) => ({
  name: c.name,
  input: c.txns,
  verdict: c.expected.join(',') || 'ok',
}));

const mutants: Mutant<Txn[]>[] = [
  { mistake: 'ignores read-write anti-dependencies', judge: (h) => verdictOf(h, WW | WR) },
  { mistake: 'ignores write-read dependencies', judge: (h) => verdictOf(h, WW | RW) },
  { mistake: 'ignores write-write dependencies', judge: (h) => verdictOf(h, WR | RW) },
  {
    mistake: 'takes an aborted transaction for a committed one',
    judge: (h) => verdictOf(h.map((t) => (t.outcome === 'fail' ? { ...t, outcome: 'ok' } : t))),
  },
  {
    mistake: 'takes a transaction of unknown outcome for a committed one',
    judge: (h) => verdictOf(h.map((t) => (t.outcome === 'info' ? { ...t, outcome: 'ok' } : t))),
  },
  {
    mistake: 'reads every list as unordered (a set of values)',
    judge: (h) =>
      verdictOf(
        h.map((t) => ({
          ...t,
          mops: t.mops.map((m) =>
            m.f === 'r' && m.value !== null ? { ...m, value: [...m.value].sort() } : m,
          ),
        })),
      ),
  },
];

mutationSuite('serializability checker', verdictOf, cases, mutants);
