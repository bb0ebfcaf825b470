/**
 * Membership changes in the host (sim/membership.ts, faults/membership.ts): a spare runs nothing
 * until it joins, then boots with the members as its peers; every member hears of a join or a
 * leave through onMembership at that instant, the leaving node too; a leaving node keeps running
 * for its drain period, then stops for good and is not restarted by the heal; nemeses do not
 * count spares as down. Golden hashes of scenarios without spares are unchanged (test/golden).
 */
import { describe, expect, it } from 'vitest';
import type { MembershipChange, NodeContext, Protocol } from '../../../src/core/protocol.js';
import { NO_EFFECTS } from '../../../src/core/protocol.js';
import { FAULT_KINDS } from '../../../src/faults/registry.js';
import type { ScheduledFault } from '../../../src/sim/faults.js';
import { quietWorldConfig } from '../../support/quiet-world.js';
import { World } from '../../../src/sim/world.js';
import type { WorldConfig } from '../../../src/sim/world-config.js';

type Msg = { readonly type: 'Hi' };

/** Notes every handler call, with the peers the node sees, in a log outside the nodes. */
function recorder(log: string[]): Protocol<object, Msg, unknown, unknown> {
  const note = (ctx: NodeContext, what: string) =>
    log.push(`${ctx.now} ${ctx.node} ${what} peers=${ctx.peers.join(',')}`);
  const greet = (ctx: NodeContext) =>
    ctx.peers.map((to) => ({ type: 'send' as const, to, msg: { type: 'Hi' as const } }));
  return {
    name: 'recorder',
    init(ctx) {
      note(ctx, 'init');
      return { state: {}, effects: [{ type: 'setTimer', name: 't', afterUs: 50_000 }] };
    },
    onRecover(ctx) {
      note(ctx, 'recover');
      return { state: {}, effects: NO_EFFECTS };
    },
    onTimer(s, _t, ctx) {
      return {
        state: s,
        effects: [...greet(ctx), { type: 'setTimer', name: 't', afterUs: 50_000 }],
      };
    },
    onMessage(s, from, _m, ctx) {
      note(ctx, `Hi from ${from}`);
      return { state: s, effects: NO_EFFECTS };
    },
    onMembership(s, c: MembershipChange, ctx) {
      note(ctx, `${c.type} ${c.node} members=${c.members.join(',')}`);
      return { state: s, effects: NO_EFFECTS };
    },
    onRequest: (s) => ({ state: s, effects: NO_EFFECTS }),
    onDiskDone: (s) => ({ state: s, effects: NO_EFFECTS }),
  };
}

function world(log: string[], schedule: ScheduledFault[], over: Partial<WorldConfig> = {}) {
  return new World(
    quietWorldConfig({
      nodes: 4,
      protocol: recorder(log),
      schedule,
      phases: { faultyUs: 400_000, healedUs: 100_000, finalUs: 0 },
      over: { spares: 1, ...over },
    }),
  );
}

const at = (t: number, kind: string, node: number, forUs?: number): ScheduledFault =>
  forUs === undefined
    ? { atUs: t, action: { kind, node } }
    : { atUs: t, action: { kind, node }, forUs };

describe('membership changes in the world', () => {
  it('a spare runs nothing and hears nothing until it joins', () => {
    const log: string[] = [];
    world(log, []).run();
    expect(log.filter((l) => l.includes(' n4 '))).toEqual([]);
    expect(log[0]).toBe('0 n1 init peers=n2,n3');
    expect(log.some((l) => l.includes('Hi from n4'))).toBe(false);
  });

  it('a join boots the spare with the members as peers and tells every member at once', () => {
    const log: string[] = [];
    const r = world(log, [at(120_000, 'join', 3)]).run();
    const atJoin = log.filter((l) => l.startsWith('120000 '));
    expect(atJoin).toEqual([
      '120000 n4 init peers=n1,n2,n3',
      '120000 n1 join n4 members=n1,n2,n3,n4 peers=n2,n3,n4',
      '120000 n2 join n4 members=n1,n2,n3,n4 peers=n1,n3,n4',
      '120000 n3 join n4 members=n1,n2,n3,n4 peers=n1,n2,n4',
    ]);
    // The members' next round greets n4, and n4's own greets them.
    expect(log).toContain('151000 n4 Hi from n1 peers=n1,n2,n3');
    expect(log).toContain('171000 n1 Hi from n4 peers=n2,n3,n4');
    expect(r.faults.filter((f) => f.action !== 'phase').map((f) => f.detail)).toEqual(['n4 joins']);
  });

  it('a leave tells every member, the leaver last; it drains for `for`, then stops for good', () => {
    const log: string[] = [];
    const r = world(log, [at(120_000, 'leave', 1, 60_000), at(130_000, 'crash', 1, 10_000)]).run();
    expect(log.filter((l) => l.startsWith('120000 '))).toEqual([
      '120000 n1 leave n2 members=n1,n3 peers=n3',
      '120000 n3 leave n2 members=n1,n3 peers=n1',
      '120000 n2 leave n2 members=n1,n3 peers=n1,n3',
    ]);
    // Crashed while draining, it recovers (still draining), then stops at 180ms; the heal at
    // 400ms does not bring it back.
    expect(log).toContain('140000 n2 recover peers=n1,n3');
    expect(log.filter((l) => l.includes(' n2 ') && Number(l.split(' ')[0]) > 180_000)).toEqual([]);
    expect(log.filter((l) => l.includes('Hi from n2')).length).toBeGreaterThan(0);
    expect(log.some((l) => Number(l.split(' ')[0]) > 121_000 && l.includes('Hi from n2'))).toBe(
      false,
    );
    expect(r.faults.filter((f) => f.action !== 'phase').map((f) => `${f.t} ${f.detail}`)).toEqual([
      '120000 n2 leaves, draining',
      '130000 n2',
      '140000 n2',
      '180000 n2 left',
    ]);
  });

  it('a join of a member, or a leave of the last member, does nothing at run time', () => {
    const log: string[] = [];
    const r = world(log, [at(100_000, 'join', 0), at(110_000, 'leave', 0)], {
      nodes: 1,
      spares: 0,
    }).run();
    expect(r.faults.filter((f) => f.action !== 'phase')).toEqual([]);
  });

  it('a random crash nemesis is not held back by spares, which are not down', () => {
    const log: string[] = [];
    const nemesis = {
      kind: 'crash',
      everyUs: { dist: 'constant', us: 50_000 } as const,
      forUs: { dist: 'constant', us: 10_000 } as const,
      target: 'all' as const,
    };
    const r = world(log, [], {
      nodes: 5,
      spares: 2,
      faults: {
        schedule: [],
        nemeses: [{ ...nemesis, target: 'random' }],
        maxDown: 1,
        kinds: FAULT_KINDS,
      },
    }).run();
    const crashes = r.faults.filter((f) => f.action === 'crash').map((f) => f.detail);
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes.every((n) => ['n1', 'n2', 'n3'].includes(n))).toBe(true);
  });
});
