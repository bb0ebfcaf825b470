/**
 * The saga-completion checker on saga histories written by hand: a saga fully applied, one
 * compensated in reverse order, one compensated in forward order (workflow-core#191), a
 * compensation run twice (catalogue B34), a service holding more or fewer bookings than its
 * ledger leaves, a saga left half-applied, a client told the wrong outcome, a booking at a
 * service that refuses it by design, a saga no client asked for, and a run whose ledgers were
 * not all read (it checked nothing, and says so). Broken copies of the checker, each with one
 * rule broken, must each get some case wrong.
 */
import { describe, expect, it } from 'vitest';
import { checkSagaCompletion } from '../../../src/checkers/saga-completion.js';
import type { History, Operation } from '../../../src/core/history.js';
import {
  type Ledger,
  type LedgerEntry,
  type SagaInput,
  SERVICES,
  type Service,
  stepOf,
} from '../../../src/core/saga-ops.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

type Op = Operation<SagaInput, unknown>;
let ids = 0;

function booking(saga: string, told?: string, unavailable?: Service): Op {
  return {
    id: ids++,
    client: 'c1',
    f: 'book',
    input: unavailable === undefined ? { f: 'book', saga } : { f: 'book', saga, unavailable },
    output: told === undefined ? undefined : { outcome: told },
    invokeUs: 0,
    completeUs: told === undefined ? undefined : 1,
    outcome: told === undefined ? 'info' : 'ok',
    phase: 'faulty',
  };
}

function ledgers(entries: Partial<Record<Service, [string, 'book' | 'cancel', number][]>>): Op[] {
  return SERVICES.map((service) => {
    const es: LedgerEntry[] = (entries[service] ?? []).map(([s, a, o]) => [s, a, o, o * 1000]);
    const held = es.reduce((n, e) => n + (e[1] === 'book' ? 1 : -1), 0);
    return {
      id: ids++,
      client: 'c2',
      f: 'ledger',
      input: { f: 'ledger', service },
      output: { entries: es, held } satisfies Ledger,
      invokeUs: 2,
      completeUs: 3,
      outcome: 'ok',
      phase: 'final',
    };
  });
}

const applied = {
  flight: [['s1', 'book', 1]],
  hotel: [['s1', 'book', 2]],
  car: [['s1', 'book', 3]],
} as const;
const reverse = {
  flight: [
    ['s1', 'book', 1],
    ['s1', 'cancel', 5],
  ],
  hotel: [
    ['s1', 'book', 2],
    ['s1', 'cancel', 4],
  ],
} as const;
const forward = {
  flight: [
    ['s1', 'book', 1],
    ['s1', 'cancel', 4],
  ],
  hotel: [
    ['s1', 'book', 2],
    ['s1', 'cancel', 5],
  ],
} as const;
const twice = {
  flight: [
    ['s1', 'book', 1],
    ['s1', 'cancel', 4],
    ['s1', 'cancel', 4],
  ],
} as const;

const L = (e: object) => ledgers(e as Parameters<typeof ledgers>[0]);
const verdictOf = (h: History) => checkSagaCompletion({ history: h }).verdict;

const cases: RecordedCase<Op[]>[] = [
  {
    name: 'a saga fully applied',
    input: [booking('s1', 'completed'), ...L(applied)],
    verdict: 'ok',
  },
  {
    name: 'a saga compensated in reverse order',
    input: [booking('s1', 'compensated', 'car'), ...L(reverse)],
    verdict: 'ok',
  },
  {
    name: 'a saga that never applied a step',
    input: [booking('s1', 'compensated', 'flight'), ...L({})],
    verdict: 'ok',
  },
  {
    name: 'a saga compensated in forward order',
    input: [booking('s1', 'compensated', 'car'), ...L(forward)],
    verdict: 'violation',
  },
  {
    name: 'a compensation run twice',
    input: [booking('s1', undefined, 'hotel'), ...L(twice)],
    verdict: 'violation',
  },
  {
    name: 'a service holding a booking its ledger cancelled',
    input: [
      booking('s1', 'compensated', 'car'),
      ...L(reverse).map((o) =>
        (o.input as { service?: string }).service === 'hotel'
          ? { ...o, output: { ...(o.output as Ledger), held: 1 } }
          : o,
      ),
    ],
    verdict: 'violation',
  },
  {
    name: 'a saga left half-applied',
    input: [booking('s1'), ...L({ flight: applied.flight, hotel: applied.hotel })],
    verdict: 'violation',
  },
  {
    name: 'a client told completed of a compensated saga',
    input: [booking('s1', 'completed'), ...L(reverse)],
    verdict: 'violation',
  },
  {
    name: 'a booking at a service that refuses it by design',
    input: [booking('s1', 'completed', 'hotel'), ...L(applied)],
    verdict: 'violation',
  },
  {
    name: 'a ledger listing a saga no client asked for',
    input: [booking('s2'), ...L(applied)],
    verdict: 'violation',
  },
  {
    name: 'a run whose car ledger was never read',
    input: [booking('s1', 'completed'), ...L(applied).slice(0, 2)],
    verdict: 'unknown',
  },
];

const mapLedgers = (h: readonly Op[], f: (l: Ledger, s: Service) => Ledger): Op[] =>
  h.map((o) =>
    o.input.f === 'ledger' ? { ...o, output: f(o.output as Ledger, o.input.service) } : o,
  );
const standing = (es: readonly LedgerEntry[]) =>
  es.reduce((n, e) => n + (e[1] === 'book' ? 1 : -1), 0);

const mutants: Mutant<Op[]>[] = [
  {
    mistake: 'counts each compensation once, however often its ledger lists it',
    judge: (h) =>
      verdictOf(
        mapLedgers(h, (l) => {
          const seen = new Set<string>();
          const entries = l.entries.filter((e) => {
            const k = `${e[0]}:${e[1]}`;
            return !seen.has(k) && seen.add(k) !== undefined;
          });
          return { entries, held: standing(entries) };
        }),
      ),
  },
  {
    mistake: 'never looks at the order compensations ran in',
    judge: (h) =>
      verdictOf(
        mapLedgers(h, (l, s) => ({
          ...l,
          entries: l.entries.map((e) =>
            e[1] === 'cancel' ? [e[0], e[1], 9 - stepOf(s), e[3]] : e,
          ),
        })),
      ),
  },
  {
    mistake: 'trusts the services’ counts of bookings held',
    judge: (h) => verdictOf(mapLedgers(h, (l) => ({ ...l, held: standing(l.entries) }))),
  },
  {
    mistake: 'ignores what clients were told',
    judge: (h) => verdictOf(h.map((o) => (o.f === 'book' ? { ...o, output: undefined } : o))),
  },
  {
    mistake: 'ignores the services’ refusals by design',
    judge: (h) =>
      verdictOf(
        h.map((o) =>
          o.input.f === 'book' ? { ...o, input: { f: 'book', saga: o.input.saga } } : o,
        ),
      ),
  },
  {
    mistake: 'takes a ledger never read for an empty one',
    judge: (h) => {
      const read = new Set(h.flatMap((o) => (o.input.f === 'ledger' ? [o.input.service] : [])));
      const empty = L({}).filter((o) => !read.has((o.input as { service: Service }).service));
      return verdictOf([...h, ...empty]);
    },
  },
  {
    mistake: 'takes a saga half-applied for one still running',
    judge: (h) => {
      const r = checkSagaCompletion({ history: h });
      return r.verdict === 'violation' && /half-applied/.test(r.summary) ? 'ok' : r.verdict;
    },
  },
];

mutationSuite('saga-completion checker', verdictOf, cases, mutants);

describe('saga-completion findings', () => {
  it('name the saga and the compensations out of order', () => {
    const r = checkSagaCompletion({
      history: [booking('s1', 'compensated', 'car'), ...L(forward)],
    });
    expect(r.summary).toMatch(/s1: compensated flight before hotel \(orders 4, 5\)/);
  });

  it('name a compensation run twice', () => {
    const r = checkSagaCompletion({ history: [booking('s1', undefined, 'hotel'), ...L(twice)] });
    expect(r.summary).toMatch(/s1: its flight compensation ran 2 times/);
  });

  it('count the reads that saw a trip in an intermediate state', () => {
    const read = (flight: string, hotel: string, car: string): Op => ({
      ...booking('x'),
      f: 'read',
      input: { f: 'read', saga: 's1' },
      output: { flight, hotel, car },
      outcome: 'ok',
    });
    const h = [
      booking('s1', 'completed'),
      read('booked', 'none', 'none'),
      read('booked', 'booked', 'booked'),
      read('none', 'none', 'none'),
      ...L(applied),
    ];
    const r = checkSagaCompletion({ history: h });
    expect(r.verdict).toBe('ok');
    expect(r.summary).toMatch(/1 reads saw 1 trips in an intermediate state, each for p50 2\.0ms/);
  });
});
