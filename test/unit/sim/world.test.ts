/**
 * The host's obligations (DESIGN §3): effects applied in order, crashes drop state, timers and
 * unsynced bytes and bump the incarnation so old events die, pauses hold events until resume,
 * restarts see only what the disk kept.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, NodeContext, Protocol } from '../../../src/core/protocol.js';
import { NO_EFFECTS } from '../../../src/core/protocol.js';
import type { ScheduledFault } from '../../../src/sim/faults.js';
import { quietWorldConfig } from '../../support/quiet-world.js';
import { World } from '../../../src/sim/world.js';
import type { WorldConfig } from '../../../src/sim/world-config.js';
import { kvClients } from '../../../src/workloads/kv.js';

interface Log {
  events: string[];
}

/** Records what each node sees, in a log shared by the test (outside the node's state). */
function recorder(
  log: Log,
): Protocol<{ boots: number }, { type: string; n: number }, unknown, unknown> {
  const note = (ctx: NodeContext, what: string) =>
    log.events.push(`${ctx.node}@${ctx.now}:${what}`);
  const read = (ctx: NodeContext) => {
    const r = ctx.disk.read('data');
    return r.ok ? new TextDecoder().decode(r.data) : 'none';
  };
  return {
    name: 'recorder',
    init(ctx) {
      note(ctx, 'init');
      const fx: Effect<{ type: string; n: number }, unknown>[] = [
        { type: 'setTimer', name: 't', afterUs: 100_000 },
      ];
      if (ctx.node === 'n1') {
        fx.push({
          type: 'diskWrite',
          file: 'data',
          offset: 0,
          data: new TextEncoder().encode('synced'),
          tag: 1,
        });
        fx.push({ type: 'diskSync', file: 'data', tag: 2 });
        fx.push({ type: 'diskSyncDir', tag: 3 });
      }
      return { state: { boots: 1 }, effects: fx };
    },
    onRecover(ctx) {
      note(ctx, `recover disk=${read(ctx)}`);
      return { state: { boots: 2 }, effects: NO_EFFECTS };
    },
    onTimer(s, name, ctx) {
      note(ctx, `timer:${name}`);
      const fx: Effect<{ type: string; n: number }, unknown>[] = [];
      if (ctx.node === 'n1') {
        fx.push({ type: 'send', to: 'n2', msg: { type: 'Hello', n: 1 } });
        fx.push({ type: 'send', to: 'n2', msg: { type: 'Hello', n: 2 } });
        fx.push({
          type: 'diskWrite',
          file: 'data',
          offset: 'append',
          data: new TextEncoder().encode('+unsynced'),
          tag: 4,
        });
      }
      return { state: s, effects: fx };
    },
    onMessage(s, from, m, ctx) {
      note(ctx, `msg:${m.type}${m.n}:from:${from}`);
      return { state: s, effects: NO_EFFECTS };
    },
    onRequest: (s) => ({ state: s, effects: NO_EFFECTS }),
    onDiskDone(s, d, ctx) {
      note(ctx, `disk:${d.op}:${d.tag}`);
      return { state: s, effects: NO_EFFECTS };
    },
  };
}

function world(log: Log, schedule: ScheduledFault[], over: Partial<WorldConfig> = {}): World {
  const quiet = quietWorldConfig({
    nodes: 2,
    protocol: recorder(log),
    schedule,
    phases: { faultyUs: 500_000, healedUs: 0, finalUs: 0 },
  });
  const crash = { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 };
  const disk = { ...quiet.disk, config: { ...quiet.disk.config, crash } };
  return new World({ ...quiet, disk, ...over });
}

describe('World host', () => {
  it('runs init, timers, sends and disk completions in order', () => {
    const log: Log = { events: [] };
    world(log, []).run();
    expect(log.events.slice(0, 6)).toEqual([
      'n1@0:init',
      'n2@0:init',
      'n1@10:disk:write:1',
      'n1@50:disk:sync:2',
      'n1@50:disk:syncDir:3',
      'n1@100000:timer:t',
    ]);
    expect(log.events).toContain('n2@101000:msg:Hello1:from:n1');
    expect(log.events).toContain('n2@101000:msg:Hello2:from:n1');
  });

  it('a crash drops timers of the old incarnation and unsynced bytes; restart sees the durable disk', () => {
    const log: Log = { events: [] };
    const r = world(log, [
      { atUs: 100_005, action: { kind: 'crash', node: 0 } },
      { atUs: 300_000, action: { kind: 'restart', node: 0 } },
    ]).run();
    // The write issued at 100000 would complete at 100010: after the crash it must not arrive.
    expect(log.events.filter((e) => e.startsWith('n1@1000'))).toEqual(['n1@100000:timer:t']);
    expect(log.events).toContain('n1@300000:recover disk=synced');
    expect(r.faults.filter((f) => f.action !== 'phase').map((f) => f.action)).toEqual([
      'crash',
      'restart',
    ]);
  });

  it('messages to a crashed node are dropped; messages a node sent before it crashed still arrive', () => {
    const log: Log = { events: [] };
    world(log, [{ atUs: 100_500, action: { kind: 'crash', node: 1 } }]).run();
    expect(log.events.filter((e) => e.includes('msg:'))).toEqual([]);
    const log2: Log = { events: [] };
    world(log2, [{ atUs: 100_500, action: { kind: 'crash', node: 0 } }]).run();
    expect(log2.events.filter((e) => e.includes('msg:'))).toEqual([
      'n2@101000:msg:Hello1:from:n1',
      'n2@101000:msg:Hello2:from:n1',
    ]);
  });

  it('a pause holds messages and timers until resume, then runs them in arrival order', () => {
    const log: Log = { events: [] };
    world(log, [{ atUs: 50_000, action: { kind: 'pause', node: 1 }, forUs: 200_000 }]).run();
    const n2 = log.events.filter((e) => e.startsWith('n2@') && !e.includes('init'));
    expect(n2).toEqual([
      'n2@250000:timer:t',
      'n2@250000:msg:Hello1:from:n1',
      'n2@250000:msg:Hello2:from:n1',
    ]);
  });

  it('a partition cuts messages in flight and is healed by the healed phase', () => {
    const log: Log = { events: [] };
    world(log, [{ atUs: 100_500, action: { kind: 'partition', spec: { shape: 'halves' } } }]).run();
    expect(log.events.filter((e) => e.includes('msg:'))).toEqual([]);
  });

  it('a client operation on a node that never answers ends info (timeout), never fail', () => {
    const log: Log = { events: [] };
    const r = world(log, [], {
      clients: kvClients({
        clients: 1,
        keys: 1,
        mix: { get: 0, put: 0, append: 1 },
        timeoutUs: 20_000,
        thinkUs: { dist: 'constant', us: 1000 },
        retries: 0,
        opsPerClientMax: 3,
      }),
      phases: { faultyUs: 200_000, healedUs: 0, finalUs: 100_000 },
    }).run();
    const appends = r.history.filter((o) => o.f === 'append');
    expect(appends).toHaveLength(3);
    for (const op of appends) {
      expect(op.outcome).toBe('info');
      expect(op.error).toBe('timeout');
      expect(op.completeUs).toBeUndefined();
    }
    expect(r.finalOpsIncomplete).toBe(1);
  });
});
