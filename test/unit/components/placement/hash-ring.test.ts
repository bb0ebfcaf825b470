/**
 * The ring and its preference lists against a naive model, under joins and leaves (fc.commands):
 * the model keeps only the set of members and recomputes every token and the walk from scratch
 * for each question, as the Dynamo paper describes it, with no sorting trick or binary search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ring, ringHash } from '../../../../src/components/placement/hash-ring.js';

const VNODES = 4;
const NAMES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];

interface Model {
  members: Set<string>;
}
interface Real {
  ring: Ring;
}

/** The preference list the slow way: every token, walked from the first at or after the key. */
function naiveExtended(members: ReadonlySet<string>, key: string): string[] {
  const tokens: { p: number; node: string }[] = [];
  for (const node of members)
    for (let i = 0; i < VNODES; i++) tokens.push({ p: ringHash(`${node}#${i}`), node });
  tokens.sort((a, b) => a.p - b.p || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const h = ringHash(key);
  const after = tokens.filter((t) => t.p >= h);
  const walk = [...after, ...tokens.filter((t) => t.p < h)];
  const out: string[] = [];
  for (const t of walk) if (!out.includes(t.node)) out.push(t.node);
  return out;
}

class Join implements fc.Command<Model, Real> {
  constructor(readonly node: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.members.add(this.node);
    r.ring = r.ring.join(this.node);
    expect(r.ring.nodes).toEqual([...m.members].sort());
  }
  toString = () => `join(${this.node})`;
}

class Leave implements fc.Command<Model, Real> {
  constructor(readonly node: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.members.delete(this.node);
    r.ring = r.ring.leave(this.node);
    expect(r.ring.nodes).toEqual([...m.members].sort());
  }
  toString = () => `leave(${this.node})`;
}

class Lookup implements fc.Command<Model, Real> {
  constructor(
    readonly key: string,
    readonly n: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const expected = naiveExtended(m.members, this.key);
    expect(r.ring.extendedList(this.key)).toEqual(expected);
    const list = r.ring.preferenceList(this.key, this.n);
    expect(list).toEqual(expected.slice(0, this.n));
    expect(new Set(list).size).toBe(list.length);
  }
  toString = () => `lookup(${this.key}, ${this.n})`;
}

describe('dynamo ring', () => {
  it('agrees with a naive ring on every preference list under joins and leaves', () => {
    const node = fc.constantFrom(...NAMES);
    const commands = fc.commands(
      [
        node.map((n) => new Join(n)),
        node.map((n) => new Leave(n)),
        fc
          .tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 1, max: 5 }))
          .map(([k, n]) => new Lookup(k, n)),
      ],
      { maxCommands: 40 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        fc.modelRun(
          () => ({ model: { members: new Set<string>() }, real: { ring: Ring.of([], VNODES) } }),
          cmds,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('moves only the keys a joining node takes over', () => {
    const before = Ring.of(['n1', 'n2', 'n3', 'n4'], 8);
    const after = before.join('n5');
    for (let k = 0; k < 200; k++) {
      const key = `k${k}`;
      const was = before.preferenceList(key, 3);
      const now = after.preferenceList(key, 3);
      // Without n5, the new list is the old one: n5 only pushes nodes out of it.
      expect(now.filter((n) => n !== 'n5')).toEqual(
        was.slice(0, now.filter((n) => n !== 'n5').length),
      );
    }
  });
});
