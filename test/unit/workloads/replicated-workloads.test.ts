/**
 * The replicated-data workloads (counter, set, register, text): updates only in the faulty phase
 * (the healed phase is the gossip's quiescence), one final read at every replica, sticky or
 * roaming clients, a register write carrying its client's last context, a set script run in
 * order, and text positions within what the client last saw.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import { counterWorkload } from '../../../src/workloads/counter.js';
import { registerWorkload } from '../../../src/workloads/register.js';
import { setWorkload } from '../../../src/workloads/set.js';
import { textWorkload } from '../../../src/workloads/text.js';

const rng = () => Prng.root(7).fork('workload');
const parse = <T>(w: { optionsSchema: { parse(x: unknown): unknown } }, o: object) =>
  w.optionsSchema.parse(o) as T;

describe('replicated-data workloads', () => {
  it('update in the faulty phase only, and read every replica once at the end', () => {
    const w = counterWorkload.create(parse(counterWorkload, {}), 2, 3);
    const r = rng();
    expect(w.next(0, 'faulty', r)).toBeDefined();
    expect(w.next(0, 'healed', r)).toBeUndefined();
    expect(w.finalOps()).toEqual([
      { f: 'read', replica: 0 },
      { f: 'read', replica: 1 },
      { f: 'read', replica: 2 },
    ]);
  });

  it('send a sticky client home, a roaming one anywhere, a final read to its own', () => {
    const sticky = counterWorkload.create(parse(counterWorkload, {}), 4, 3);
    const roam = counterWorkload.create(parse(counterWorkload, { routing: 'roam' }), 4, 3);
    const r = rng();
    const op = { f: 'inc' as const, by: 1 };
    // Home is the node the client sits beside, client mod n unless placed: the driver knows it
    // (test/unit/sim/client-failover.test.ts).
    expect([0, 1, 2, 3].map((c) => sticky.route?.(c, op, 3, r))).toEqual([
      'home',
      'home',
      'home',
      'home',
    ]);
    const roamed = new Set(Array.from({ length: 30 }, () => roam.route?.(0, op, 3, r)));
    expect(roamed).toEqual(new Set([0, 1, 2]));
    expect(roam.route?.(0, { f: 'read', replica: 2 }, 3, r)).toBe(2);
  });

  it('write a register with the context of the client’s last successful get', () => {
    const w = registerWorkload.create(parse(registerWorkload, { mix: { put: 1 } }), 2, 3);
    const r = rng();
    expect(w.next(0, 'faulty', r)).toEqual({ f: 'put', value: 'c1.1', context: [] });
    w.completed?.(0, { f: 'get' }, 'ok', { values: ['c2.1'], context: ['n2:1'] });
    w.completed?.(0, { f: 'get' }, 'info', undefined);
    expect(w.next(0, 'faulty', r)).toEqual({ f: 'put', value: 'c1.2', context: ['n2:1'] });
    expect(w.next(1, 'faulty', r)).toEqual({ f: 'put', value: 'c2.1', context: [] });
  });

  it('run a set script in order per client, then stop', () => {
    const options = parse(setWorkload, { script: [['add x', 'remove x'], ['read']] });
    const w = setWorkload.create(options as never, 2, 3);
    const r = rng();
    expect([w.next(0, 'faulty', r), w.next(0, 'faulty', r), w.next(0, 'faulty', r)]).toEqual([
      { f: 'add', element: 'x' },
      { f: 'remove', element: 'x' },
      undefined,
    ]);
    expect(w.next(1, 'faulty', r)).toEqual({ f: 'read' });
    const bad = setWorkload.optionsSchema.safeParse({ script: [['add']] });
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      'expected "add <element>", "remove <element>" or "read"',
    ]);
  });

  it('type each client’s own letter within the text it last saw', () => {
    const w = textWorkload.create(parse(textWorkload, { mix: { insert: 1 } }), 3, 3);
    const r = rng();
    expect(w.next(1, 'faulty', r)).toEqual({ f: 'insert', index: 0, text: 'b' });
    w.completed?.(1, { f: 'read' }, 'ok', 'abcde');
    for (let i = 0; i < 20; i++) {
      const op = w.next(1, 'faulty', r) as { index: number };
      expect(op.index).toBeGreaterThanOrEqual(0);
      expect(op.index).toBeLessThanOrEqual(5);
    }
  });
});
