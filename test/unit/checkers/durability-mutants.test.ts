/**
 * The durability checker against broken copies of itself: each mutant is `checkDurability`
 * behind a wrapper that breaks one of its rules, and the recorded histories below must give at
 * least one of them a different verdict. The first mutant is the one that once shipped with
 * every checker test green: a lost `c1.5` hidden by a visible `c1.53`.
 */
import { describe } from 'vitest';
import { checkDurability } from '../../../src/checkers/durability.js';
import type { History, Operation, OpOutcome, PhaseName } from '../../../src/core/history.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

let nextId = 0;

/** A write of `value` to `key`, invoked at `at` µs and (unless `info`) completed 1 µs later. */
function write(
  f: 'append' | 'put',
  key: string,
  value: string,
  outcome: OpOutcome,
  at: number,
): Operation {
  const done = outcome === 'info' ? undefined : at + 1;
  return {
    id: nextId++,
    client: 'c1',
    f,
    input: { f, key, value },
    output: undefined,
    invokeUs: at,
    completeUs: done,
    outcome,
    phase: 'faulty',
  };
}

/** A completed read of `key` that returned `output`, in `phase`. */
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

const CASES: readonly RecordedCase<History>[] = [
  {
    name: 'every acknowledged append survives',
    input: [write('append', 'k', 'c1.1', 'ok', 0), read('k', 'c1.1', 10)],
    verdict: 'ok',
  },
  {
    name: 'a lost c1.5 beside a visible c1.53',
    input: [
      write('append', 'k', 'c1.5', 'ok', 0),
      write('append', 'k', 'c1.53', 'ok', 2),
      read('k', 'c1.53', 10),
    ],
    verdict: 'violation',
  },
  {
    name: 'an append that failed is visible',
    input: [
      write('append', 'k', 'c1.1', 'ok', 0),
      write('append', 'k', 'c1.2', 'fail', 2),
      read('k', 'c1.1 c1.2', 10),
    ],
    verdict: 'violation',
  },
  {
    name: 'an unknown append is missing',
    input: [
      write('append', 'k', 'c1.1', 'info', 0),
      write('append', 'k', 'c1.2', 'ok', 2),
      read('k', 'c1.2', 10),
    ],
    verdict: 'ok',
  },
  {
    name: 'a read during the faults shows less than the final read',
    input: [
      write('append', 'k', 'c1.1', 'ok', 0),
      read('k', null, 1, 'faulty'),
      read('k', 'c1.1', 10),
    ],
    verdict: 'ok',
  },
  {
    name: 'a final read shows a value nobody wrote',
    input: [write('append', 'k', 'c1.1', 'ok', 0), read('k', 'c1.1 c9.9', 10)],
    verdict: 'violation',
  },
  {
    name: 'a put erased an append it came after',
    input: [
      write('append', 'k', 'c1.1', 'ok', 0),
      write('put', 'k', 'c1.2', 'ok', 2),
      read('k', 'c1.2', 10),
    ],
    verdict: 'ok',
  },
  {
    name: 'an append after the visible put completed is lost',
    input: [
      write('put', 'k', 'c1.1', 'ok', 0),
      write('append', 'k', 'c1.2', 'ok', 2),
      read('k', 'c1.1', 10),
    ],
    verdict: 'violation',
  },
  {
    name: 'nothing was acknowledged',
    input: [write('append', 'k', 'c1.1', 'fail', 0), read('k', null, 10)],
    verdict: 'unknown',
  },
];

/** The history with each final read's output rewritten. */
const withFinalReads = (h: History, f: (op: Operation) => string | null): History =>
  h.map((op) => (op.f === 'get' && op.phase === 'final' ? { ...op, output: f(op) } : op));

const verdictOf = (h: History) => checkDurability(h).verdict;

const MUTANTS: readonly Mutant<History>[] = [
  {
    mistake: 'finds a write in the final read by substring',
    // Every value the read's text contains as a substring counts as shown.
    judge: (h) =>
      verdictOf(
        withFinalReads(h, (r) => {
          const text = (r.output as string | null) ?? '';
          const words = new Set(text.split(' '));
          const hidden = h.flatMap((op) => {
            const v = (op.input as { value?: string }).value;
            return v !== undefined && !words.has(v) && text.includes(v) ? [v] : [];
          });
          return [text, ...hidden].filter((w) => w !== '').join(' ') || null;
        }),
      ),
  },
  {
    mistake: 'says ok when it judged nothing',
    judge: (h) => {
      const v = verdictOf(h);
      return v === 'unknown' && checkDurability(h).summary.startsWith('checked nothing') ? 'ok' : v;
    },
  },
  {
    mistake: 'treats a failed write like an unknown one',
    judge: (h) =>
      verdictOf(h.map((op) => (op.outcome === 'fail' ? { ...op, outcome: 'info' as const } : op))),
  },
  {
    mistake: 'counts an unknown write as acknowledged',
    judge: (h) =>
      verdictOf(h.map((op) => (op.outcome === 'info' ? { ...op, outcome: 'ok' as const } : op))),
  },
  {
    mistake: 'judges by the first completed read of a key, even one taken during the faults',
    judge: (h) => {
      const first = new Set<string>();
      return verdictOf(
        h.map((op) => {
          if (op.f !== 'get') return op;
          const key = (op.input as { key: string }).key;
          const phase = first.has(key) ? ('faulty' as const) : ('final' as const);
          first.add(key);
          return { ...op, phase };
        }),
      );
    },
  },
  {
    mistake: 'skips every key written with put',
    judge: (h) => {
      const putKeys = new Set(
        h.filter((op) => op.f === 'put').map((op) => (op.input as { key: string }).key),
      );
      return verdictOf(h.filter((op) => !putKeys.has((op.input as { key: string }).key)));
    },
  },
  {
    mistake: 'lets a visible put excuse every missing write, ignoring real time',
    judge: (h) =>
      verdictOf(h.map((op) => (op.f === 'put' ? { ...op, completeUs: undefined } : op))),
  },
  {
    mistake: 'does not look for values nobody wrote',
    // Every shown value gets an unknown write, as if the checker took them all as written.
    judge: (h) =>
      verdictOf([
        ...h.flatMap((op) => {
          if (op.f !== 'get' || op.phase !== 'final') return [];
          const { key } = op.input as { key: string };
          const shown = ((op.output as string | null) ?? '').split(' ').filter((v) => v !== '');
          return shown.map((v) => write('append', key, v, 'info', 0));
        }),
        ...h,
      ]),
  },
];

describe('durability', () => {
  mutationSuite('the durability checker and its broken copies', verdictOf, CASES, MUTANTS);
});
