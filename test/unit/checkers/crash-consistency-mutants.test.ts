/**
 * The crash-consistency checker against broken copies of itself: each mutant is
 * `checkCrashConsistency` behind a wrapper that breaks one of its rules (the sync policy ignored
 * one way or the other, an unrecoverable image overlooked, reads during the faults not looked
 * at, deletes ignored or a concurrent delete taken for a later one), and the recorded cases below
 * must give at least one of them a different verdict.
 */
import {
  checkCrashConsistency,
  type CrashConsistencyInput,
} from '../../../src/checkers/crash-consistency.js';
import type { History, Operation, OpOutcome, PhaseName } from '../../../src/core/history.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

let nextId = 0;

function write(f: 'append' | 'put', key: string, value: string, outcome: OpOutcome, at: number) {
  const op: Operation = {
    id: nextId++,
    client: 'c1',
    f,
    input: { f, key, value },
    output: undefined,
    invokeUs: at,
    completeUs: outcome === 'info' ? undefined : at + 1,
    outcome,
    phase: 'faulty',
  };
  return op;
}

/** A kv delete of `key`, invoked at `from` and acknowledged at `to`. */
function del(key: string, from: number, to: number) {
  const op: Operation = {
    id: nextId++,
    client: 'c3',
    f: 'delete',
    input: { f: 'delete', key },
    output: null,
    invokeUs: from,
    completeUs: to,
    outcome: 'ok',
    phase: 'faulty',
  };
  return op;
}

function read(key: string, output: string | null, at: number, phase: PhaseName = 'final') {
  const op: Operation = {
    id: nextId++,
    client: 'c2',
    f: 'get',
    input: { f: 'get', key },
    output,
    invokeUs: at,
    completeUs: at + 1,
    outcome: 'ok',
    phase,
  };
  return op;
}

const UNRECOVERABLE = {
  name: 'disk-image-recoverable',
  checks: 2,
  violation: { atUs: 5, node: 'n1', message: 'MANIFEST: checksum mismatch' },
};

const input = (
  history: History,
  lossAllowedBy?: string,
  observed: CrashConsistencyInput['observed'] = [],
  crashesUs: readonly number[] = [5],
): CrashConsistencyInput => ({ history, lossAllowedBy, observed, crashesUs });

const lostAfterCrash: History = [
  write('append', 'k', 'c1.1', 'ok', 0),
  write('append', 'k', 'c1.2', 'ok', 2),
  read('k', 'c1.1', 10),
];

/** LevelDB #184 as a client sees it: put, an acknowledged delete, and the value is back. */
const deletedComesBack: History = [
  write('put', 'k', 'c1.1', 'ok', 0),
  del('k', 2, 3),
  read('k', 'c1.1', 10),
];

/** k's second append is lost; j's later append reads back as `j` (survived, or lost with it). */
const sentAfterLoss = (j: string | null): History => [
  write('append', 'k', 'c1.1', 'ok', 0),
  write('append', 'k', 'c1.2', 'ok', 2),
  write('append', 'j', 'c1.3', 'ok', 4),
  read('k', 'c1.1', 10),
  read('j', j, 10),
];

const CASES: readonly RecordedCase<CrashConsistencyInput>[] = [
  {
    name: 'every acknowledged write survives',
    input: input([write('append', 'k', 'c1.1', 'ok', 0), read('k', 'c1.1', 10)]),
    verdict: 'ok',
  },
  {
    name: 'an acknowledged write lost under sync always',
    input: input(lostAfterCrash),
    verdict: 'violation',
  },
  {
    name: 'an acknowledged write lost under sync none: allowed',
    input: input(lostAfterCrash, 'none'),
    verdict: 'ok',
  },
  {
    name: 'a write lost under sync none with no crash after it',
    input: input(lostAfterCrash, 'none', [], []),
    verdict: 'violation',
  },
  {
    name: 'a write lost under sync none while one sent after it survived the crash',
    input: input(sentAfterLoss('c1.3'), 'none', [], [6]),
    verdict: 'violation',
  },
  {
    name: 'a write lost under sync none, one sent later lost with it',
    input: input(sentAfterLoss(null), 'none', [], [6]),
    verdict: 'ok',
  },
  {
    name: 'an overwritten put comes back (a resurrection)',
    input: input([
      write('put', 'k', 'c1.1', 'ok', 0),
      write('put', 'k', 'c1.2', 'ok', 2),
      read('k', 'c1.1', 10),
    ]),
    verdict: 'violation',
  },
  {
    name: 'a deleted value comes back (a resurrection, leveldb#184)',
    input: input(deletedComesBack),
    verdict: 'violation',
  },
  {
    name: 'a deleted value comes back under sync none: the delete was lost, allowed',
    input: input(deletedComesBack, 'none'),
    verdict: 'ok',
  },
  {
    name: 'a write a later acknowledged delete removed is not lost',
    input: input([write('append', 'k', 'c1.1', 'ok', 0), del('k', 2, 3), read('k', null, 10)]),
    verdict: 'ok',
  },
  {
    name: 'a write after the delete survives it',
    input: input([
      write('put', 'k', 'c1.1', 'ok', 0),
      del('k', 2, 3),
      write('append', 'k', 'c1.4', 'ok', 4),
      read('k', 'c1.4', 10),
    ]),
    verdict: 'ok',
  },
  {
    name: 'a delete concurrent with the write may have come first: its value may stay',
    input: input([write('put', 'k', 'c1.1', 'ok', 3), del('k', 2, 6), read('k', 'c1.1', 10)]),
    verdict: 'ok',
  },
  {
    name: 'a read during the faults returns a value nobody wrote',
    input: input([
      write('append', 'k', 'c1.1', 'ok', 0),
      read('k', 'c1.1 \u0000x', 1, 'faulty'),
      read('k', 'c1.1', 10),
    ]),
    verdict: 'violation',
  },
  {
    name: 'a node could not recover its disk image, though every read is right',
    input: input([write('append', 'k', 'c1.1', 'ok', 0), read('k', 'c1.1', 10)], 'none', [
      UNRECOVERABLE,
    ]),
    verdict: 'violation',
  },
  {
    name: 'nothing was acknowledged',
    input: input([write('append', 'k', 'c1.1', 'fail', 0), read('k', null, 10)]),
    verdict: 'unknown',
  },
];

const verdictOf = (i: CrashConsistencyInput) => checkCrashConsistency(i).verdict;

const MUTANTS: readonly Mutant<CrashConsistencyInput>[] = [
  {
    mistake: 'allows lost writes whatever the sync policy',
    judge: (i) => verdictOf({ ...i, lossAllowedBy: i.lossAllowedBy ?? 'always' }),
  },
  {
    mistake: 'counts allowed losses as violations',
    judge: (i) => verdictOf({ ...i, lossAllowedBy: undefined }),
  },
  {
    mistake: 'allows a lax policy any loss, crash or not',
    judge: (i) => verdictOf({ ...i, crashesUs: [Number.MAX_SAFE_INTEGER] }),
  },
  {
    mistake: 'takes every write for one sent before the loss (no witness ever)',
    judge: (i) =>
      verdictOf({
        ...i,
        history: i.history.map((op) => (op.f === 'get' ? op : { ...op, invokeUs: 0 })),
      }),
  },
  {
    mistake: 'overlooks an unrecoverable disk image',
    judge: (i) => verdictOf({ ...i, observed: [] }),
  },
  {
    mistake: 'does not look for deleted values that came back',
    judge: (i) => verdictOf({ ...i, history: i.history.filter((op) => op.f !== 'delete') }),
  },
  {
    mistake: 'takes a delete for coming after every write it overlapped',
    // Each delete is taken as invoked when it was acknowledged.
    judge: (i) =>
      verdictOf({
        ...i,
        history: i.history.map((op) =>
          op.f === 'delete' ? { ...op, invokeUs: op.completeUs ?? op.invokeUs } : op,
        ),
      }),
  },
  {
    mistake: 'looks only at the final reads for corruption',
    judge: (i) =>
      verdictOf({
        ...i,
        history: i.history.filter((op) => op.phase === 'final' || op.f !== 'get'),
      }),
  },
];

mutationSuite('crash-consistency', verdictOf, CASES, MUTANTS);
