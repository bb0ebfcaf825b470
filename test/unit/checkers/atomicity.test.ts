/**
 * The atomicity checker on bank histories written by hand: a final read that shows half of a
 * transfer, a snapshot whose total moved, an acknowledged transfer missing at the end, an
 * aborted one applied, a read that saw part of a transfer mid-run (not this checker's to judge),
 * and a run that read nothing (it checked nothing, and says so). Broken copies of the checker,
 * each with one rule broken, must each get some case wrong.
 */
import { describe, expect, it } from 'vitest';
import { checkAtomicity } from '../../../src/checkers/atomicity.js';
import type { BankInput, BankLayout, BankOutput } from '../../../src/core/bank-ops.js';
import type { History, Operation, PhaseName } from '../../../src/core/history.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

const bank: BankLayout = { accounts: 2, balance: 100, sharding: 'modulo' };
type Op = Operation<BankInput, BankOutput>;

let ids = 0;
function transfer(id: string, outcome: Op['outcome'], from = 'a0', to = 'a1', amount = 10): Op {
  return {
    id: ids++,
    client: 'c1',
    f: 'transfer',
    input: { f: 'transfer', id, from, to, amount, bank },
    output: outcome === 'ok' ? {} : undefined,
    invokeUs: 0,
    completeUs: 1,
    outcome,
    phase: 'faulty',
  };
}

/** A read of a0 and a1: each as [balance, applied]. */
function read(a0: [number, string[]], a1: [number, string[]], phase: PhaseName = 'faulty'): Op {
  return {
    id: ids++,
    client: 'c2',
    f: 'read',
    input: { f: 'read', bank },
    output: {
      a0: { balance: a0[0], applied: a0[1] },
      a1: { balance: a1[0], applied: a1[1] },
    },
    invokeUs: 2,
    completeUs: 3,
    outcome: 'ok',
    phase,
  };
}

const verdictOf = (h: History) => checkAtomicity({ history: h }).verdict;

const cases: RecordedCase<Op[]>[] = [
  {
    name: 'a transfer whole at every read',
    input: [
      transfer('t1', 'ok'),
      read([90, ['t1']], [110, ['t1']]),
      read([90, ['t1']], [110, ['t1']], 'final'),
    ],
    verdict: 'ok',
  },
  {
    name: 'a final read with half of a transfer',
    input: [transfer('t1', 'info'), read([90, ['t1']], [100, []], 'final')],
    verdict: 'violation',
  },
  {
    name: 'a mid-run read with half of a transfer (serializability’s to judge)',
    input: [
      transfer('t1', 'ok'),
      read([90, ['t1']], [100, []]),
      read([90, ['t1']], [110, ['t1']], 'final'),
    ],
    verdict: 'ok',
  },
  {
    name: 'a snapshot whose total moved',
    input: [
      transfer('t1', 'ok'),
      read([90, ['t1']], [120, ['t1']]),
      read([90, ['t1']], [110, ['t1']], 'final'),
    ],
    verdict: 'violation',
  },
  {
    name: 'an acknowledged transfer missing at the end',
    input: [transfer('t1', 'ok'), read([100, []], [100, []], 'final')],
    verdict: 'violation',
  },
  {
    name: 'an aborted transfer applied',
    input: [transfer('t1', 'fail'), read([90, ['t1']], [110, ['t1']], 'final')],
    verdict: 'violation',
  },
  {
    name: 'a transfer of unknown outcome, absent at the end',
    input: [transfer('t1', 'info'), read([100, []], [100, []], 'final')],
    verdict: 'ok',
  },
  { name: 'a run that read nothing', input: [transfer('t1', 'ok')], verdict: 'unknown' },
];

const asPhase = (h: readonly Op[], phase: PhaseName): Op[] =>
  h.map((o) => (o.f === 'read' ? { ...o, phase } : o));

const mutants: Mutant<Op[]>[] = [
  {
    mistake: 'judges every read as a mid-run one (half a transfer at the end passes)',
    judge: (h) => verdictOf(asPhase(h, 'faulty')),
  },
  {
    mistake: 'judges every read as a final one (half a transfer mid-run fails)',
    judge: (h) => verdictOf(asPhase(h, 'final')),
  },
  {
    mistake: 'takes an aborted transfer for one of unknown outcome',
    judge: (h) => verdictOf(h.map((o) => (o.outcome === 'fail' ? { ...o, outcome: 'info' } : o))),
  },
  {
    mistake: 'takes an acknowledged transfer for one of unknown outcome',
    judge: (h) => verdictOf(h.map((o) => (o.f === 'transfer' ? { ...o, outcome: 'info' } : o))),
  },
  {
    mistake: 'reads only the transfer lists, never the balances',
    judge: (h) =>
      verdictOf(
        h.map((o) =>
          o.f === 'read' && o.output !== undefined
            ? {
                ...o,
                output: Object.fromEntries(
                  Object.entries(o.output).map(([k, v]) => [k, { ...v, balance: 100 }]),
                ),
              }
            : o,
        ),
      ),
  },
];

mutationSuite('atomicity checker', verdictOf, cases, mutants);

describe('atomicity findings', () => {
  it('name the transfer, its accounts and the one it is missing from', () => {
    const h = [transfer('t7', 'info', 'a0', 'a1', 4), read([96, ['t7']], [100, []], 'final')];
    expect(checkAtomicity({ history: h }).summary).toMatch(
      /lists t7 \(a0 → a1, 4\) on a0 but not on a1: applied on one participant and not the other/,
    );
  });

  it('say when nothing was checked', () => {
    expect(checkAtomicity({ history: [] }).summary).toMatch(/checked nothing/);
  });
});
