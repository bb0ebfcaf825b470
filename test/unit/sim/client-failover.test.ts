/**
 * How placed clients fail over (sim/clients.ts): a request to a node across the cut is lost and
 * times out; the client then tries the next node in its list (home, home + 1, … round the
 * cluster), follows redirect hints, and a sticky client goes home again once its reconnection
 * delay has passed and its node answers. Unplaced clients never see a cut.
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../../src/core/protocol.js';
import { NO_EFFECTS } from '../../../src/core/protocol.js';
import type { Workload } from '../../../src/core/workload.js';
import type { ScheduledFault } from '../../../src/sim/faults.js';
import { quietWorldConfig } from '../../support/quiet-world.js';
import { World } from '../../../src/sim/world.js';
import type { ClientsConfig } from '../../../src/sim/world-config.js';

/** Every node answers ok, unless `leader` is set: then the others redirect to it. */
function answering(leader?: string): Protocol<null, never, string, string> {
  const step = { state: null, effects: NO_EFFECTS };
  return {
    name: 'answering',
    init: () => step,
    onRecover: () => step,
    onMessage: () => step,
    onTimer: () => step,
    onDiskDone: () => step,
    onRequest: (_s, req, ctx) => ({
      state: null,
      effects: [
        {
          type: 'reply',
          requestId: req.id,
          outcome:
            leader === undefined || ctx.node === leader
              ? { type: 'ok', value: ctx.node }
              : { type: 'fail', code: 'not-leader', hint: leader },
        },
      ],
    }),
  };
}

/** One op after another, to `home` when sticky (undefined: keep the last node). */
const ops = (sticky: boolean): Workload<string> => ({
  next: () => 'op',
  finalOps: () => [],
  opName: () => 'op',
  ...(sticky ? { route: () => 'home' as const } : {}),
});

function run(
  protocol: Protocol<null, never, string, string>,
  clients: Omit<ClientsConfig, 'workload'>,
  workload: Workload<string>,
  schedule: ScheduledFault[],
): { node: string | undefined; outcome: string; invokeUs: number }[] {
  const world = new World(
    quietWorldConfig({
      nodes: 4,
      protocol,
      schedule,
      phases: { faultyUs: 1_000_000, healedUs: 0, finalUs: 0 },
      over: { clients: { ...clients, workload } },
    }),
  );
  return world.run().history.map((op) => ({
    node: op.node,
    outcome: op.outcome,
    invokeUs: op.invokeUs,
  }));
}

const client = {
  count: 1,
  timeoutUs: 50_000,
  thinkUs: { dist: 'constant', us: 10_000 },
  retries: 3,
  opsPerClientMax: 1000,
} as const;

/** c1 cut from n2 alone (the others reach each other) from 100ms to 500ms. */
const cutFromHome: ScheduledFault[] = [
  {
    atUs: 100_000,
    forUs: 400_000,
    action: {
      kind: 'partition',
      spec: { shape: 'explicit', components: [[1], [0, 2, 3]], clientComponents: [[], [0]] },
    },
  },
];

/** The nodes a client's operations ended at, each run of repeats once, with the outcome. */
function path(h: ReturnType<typeof run>): string[] {
  const out: string[] = [];
  for (const op of h) {
    const step = `${op.node ?? '-'}:${op.outcome}`;
    if (out[out.length - 1] !== step) out.push(step);
  }
  return out;
}

describe('placed client failover', () => {
  it('times out at home, moves to the next node, and a sticky client returns home after the heal', () => {
    const h = run(answering(), { ...client, placement: [1] }, ops(true), cutFromHome);
    expect(path(h)).toEqual([
      'n2:ok',
      '-:info',
      'n3:ok',
      '-:info',
      'n3:ok',
      '-:info',
      'n3:ok',
      'n2:ok',
    ]);
    // Home is tried again after 50ms, then 100ms, then 200ms: the reconnection delay doubles.
    const homeTries = h.filter((op) => op.outcome === 'info').map((op) => op.invokeUs);
    expect(homeTries.length).toBe(3);
    const back = h.find((op) => op.invokeUs > 500_000 && op.node === 'n2');
    expect(back).toBeDefined();
  });

  it('follows a redirect hint from the node it failed over to', () => {
    const h = run(answering('n4'), { ...client, placement: [1] }, ops(false), cutFromHome);
    // Before the cut n2 redirects to n4; the client stays with n4 (no route), never cut off.
    expect(path(h)).toEqual(['n4:ok']);
  });

  it('walks its list in order when nodes on the way are cut too', () => {
    const cut: ScheduledFault[] = [
      {
        atUs: 0,
        action: {
          kind: 'partition',
          spec: {
            shape: 'explicit',
            components: [
              [1, 2],
              [0, 3],
            ],
            clientComponents: [[], [0]],
          },
        },
      },
    ];
    const h = run(answering(), { ...client, placement: [1] }, ops(true), cut);
    // Home n2 and then n3 time out; n4 answers.
    expect(path(h).slice(0, 2)).toEqual(['-:info', 'n4:ok']);
    expect(h.slice(0, 2).map((op) => op.outcome)).toEqual(['info', 'info']);
  });

  it('leaves unplaced clients reaching every node', () => {
    const h = run(answering(), client, ops(true), cutFromHome);
    expect(path(h)).toEqual(['n1:ok']);
  });
});
