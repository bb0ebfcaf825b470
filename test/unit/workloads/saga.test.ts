/**
 * The saga workload: trips with unique saga ids, a share `failRatio` of them refused by one
 * service, drawn from the workload's seeded stream (so the same seed gives the same refusals);
 * bookings sent to the orchestrator, reads of a started trip to any node, updates in the faulty
 * phase only and one final ledger read per service, each routed to its service; and its options
 * refused with the file, line, column and field when out of range or misfit to the cluster.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import type { SagaInput } from '../../../src/core/saga-ops.js';
import { formatScenarioError, parseScenario } from '../../../src/scenario/index.js';
import { type SagaOptions, sagaWorkload } from '../../../src/workloads/saga.js';

const options = (o: object) => sagaWorkload.optionsSchema.parse(o) as unknown as SagaOptions;

function draw(o: object, n: number, seed = 3): SagaInput[] {
  const w = sagaWorkload.create(options(o), 3, 4);
  const rng = Prng.root(seed).fork('workload');
  return Array.from({ length: n }, (_, i) => w.next(i % 3, 'faulty', rng) as SagaInput);
}

describe('saga workload', () => {
  it('books trips with unique ids, a failRatio share refused by one service', () => {
    const ops = draw({ failRatio: 0.3, mix: { book: 1 } }, 3000);
    const ids = new Set(ops.map((op) => (op.f === 'book' ? op.saga : '')));
    expect(ids.size).toBe(3000);
    const refused = ops.filter((op) => op.f === 'book' && op.unavailable !== undefined);
    expect(refused.length).toBeGreaterThan(800);
    expect(refused.length).toBeLessThan(1000);
    const by = (s: string) => refused.filter((op) => op.f === 'book' && op.unavailable === s);
    for (const s of ['flight', 'hotel', 'car']) expect(by(s).length).toBeGreaterThan(200);
  });

  it('draws the same trips from the same seed, and none refused at failRatio 0', () => {
    expect(draw({}, 200, 5)).toEqual(draw({}, 200, 5));
    expect(draw({}, 200, 5)).not.toEqual(draw({}, 200, 6));
    const ops = draw({ failRatio: 0 }, 500);
    expect(ops.some((op) => op.f === 'book' && op.unavailable !== undefined)).toBe(false);
  });

  it('reads trips already started, at any node; books at the orchestrator', () => {
    const w = sagaWorkload.create(options({ mix: { book: 1, read: 1 } }), 2, 4);
    const rng = Prng.root(1).fork('workload');
    const started = new Set<string>();
    const targets = new Set<number | 'home' | undefined>();
    for (let i = 0; i < 400; i++) {
      const op = w.next(i % 2, 'faulty', rng) as SagaInput;
      if (op.f === 'book') {
        started.add(op.saga);
        expect(w.route?.(0, op, 4, rng)).toBe(0);
      } else if (op.f === 'read') {
        expect(started.has(op.saga)).toBe(true);
        targets.add(w.route?.(0, op, 4, rng));
      }
    }
    expect([...targets].sort()).toEqual([0, 1, 2, 3]);
  });

  it('updates in the faulty phase only, and reads each service’s ledger once at the end', () => {
    const w = sagaWorkload.create(options({}), 2, 4);
    const rng = Prng.root(1).fork('workload');
    expect(w.next(0, 'healed', rng)).toBeUndefined();
    const finals = w.finalOps();
    expect(finals).toEqual([
      { f: 'ledger', service: 'flight' },
      { f: 'ledger', service: 'hotel' },
      { f: 'ledger', service: 'car' },
    ]);
    expect(finals.map((op) => w.route?.(0, op, 4, rng))).toEqual([1, 2, 3]);
  });
});

describe('saga options', () => {
  const scenario = (workload: string, nodes = 4) => `protocol: saga
cluster: { nodes: ${nodes} }
workload:
  type: saga
  clients: 2
${workload}
phases: { faulty: 1s, healed: 1s, final: 1s }
`;
  const errorsOf = (text: string) => {
    const r = parseScenario(text, 's.yaml');
    return r.ok ? [] : r.errors.map(formatScenarioError);
  };

  it('accepts its defaults', () => {
    expect(errorsOf(scenario(''))).toEqual([]);
  });

  it('refuses a failRatio out of range at its position', () => {
    expect(errorsOf(scenario('  failRatio: 1.5'))).toEqual([
      expect.stringMatching(/^s\.yaml:6:14 workload\.failRatio: .*between 0 and 1/),
    ]);
  });

  it('refuses a mix with no weight and an unknown field', () => {
    expect(errorsOf(scenario('  mix: { book: 0, read: 0 }'))[0]).toMatch(
      /^s\.yaml:6:8 workload\.mix: at least one of book, read/,
    );
    expect(errorsOf(scenario('  fails: 2'))[0]).toMatch(/^s\.yaml:6:3 workload/);
  });

  it('refuses a cluster that is not an orchestrator and three services', () => {
    expect(errorsOf(scenario('', 3))[0]).toMatch(/cluster\.nodes is 3, expected 4/);
  });
});
