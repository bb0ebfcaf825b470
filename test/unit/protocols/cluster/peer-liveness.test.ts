/**
 * The storage nodes' peer heartbeats (peer-liveness.ts), on stand-in groups: a peer silent past
 * the limit is suspected once and wakes the quiet backups that follow it, no other; a suspected
 * peer heard again wakes the quiet primaries whose group it is in; a restarted peer (a new boot)
 * wakes both; and every tick sends one heartbeat to each other storage member.
 */
import { describe, expect, it } from 'vitest';
import type { EmbeddedNode } from '../../../../src/components/sub-node/embedded-node.js';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import {
  createPeerLiveness,
  onPeerHeartbeat,
  onPeerTick,
  type PeerLiveness,
} from '../../../../src/protocols/cluster/peer-liveness.js';
import { testContext } from '../../../support/step-harness.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
const options = cluster.optionsSchema?.parse({ managers: 3, shards: 4 }) as ClusterOptions;
const cfg = createClusterConfig(options, NODES, undefined);

/** A stand-in group: a quiet backup of `follows`, or a quiet primary; records its wakes. */
function group(woken: string[], ns: string, members: string[], follows?: string) {
  const state =
    follows === undefined
      ? { quiesced: false, role: { kind: 'primary', heartbeating: false } }
      : { quiesced: true, role: { kind: 'backup', primary: follows } };
  const timer = (name: string) => woken.push(`${ns}:${name}`);
  return [ns, { state, members, timer } as unknown as EmbeddedNode<unknown, unknown>] as const;
}

function setup() {
  const woken: string[] = [];
  const host = {
    groups: new Map([
      group(woken, 's0e1', ['n4', 'n5', 'n6'], 'n5'),
      group(woken, 's1e1', ['n4', 'n5', 'n6'], 'n6'),
      group(woken, 's2e1', ['n4', 'n5']),
      group(woken, 's3e1', ['n4', 'n6']),
    ]),
  };
  const ctx = testContext('n4', NODES);
  const l = createPeerLiveness(cfg, ctx) as PeerLiveness;
  return { woken, host, ctx, l };
}

describe('peer liveness', () => {
  it('heartbeats the storage members among the peers the host hands it now', () => {
    const { host, ctx, l } = setup();
    const to = (c: typeof ctx) => {
      const fx: Parameters<typeof onPeerTick>[4] = [];
      onPeerTick(cfg, l, host, c, fx);
      return fx.flatMap((e) => (e.type === 'send' ? [e.to] : []));
    };
    expect(to(ctx)).toEqual(['n5', 'n6']);
    expect(to(ctx)).toEqual(['n5', 'n6']);
    // A membership change hands a new peer list: n6 left.
    const left = { ...ctx, peers: ctx.peers.filter((p) => p !== 'n6') };
    expect(to(left)).toEqual(['n5']);
    expect(to(ctx)).toEqual(['n5', 'n6']);
  });

  it('sends one heartbeat per other storage member, and suspects a silent peer once', () => {
    const { woken, host, ctx, l } = setup();
    const fx: Parameters<typeof onPeerTick>[4] = [];
    onPeerTick(cfg, l, host, ctx, fx);
    expect(fx.map((e) => (e.type === 'send' ? e.to : e.type))).toEqual(['n5', 'n6']);
    onPeerHeartbeat(l, host, 'n6', 0, ctx, []);
    ctx.now += 200_000; // past 150 ms: n5 silent since boot, n6 too since its heartbeat
    onPeerHeartbeat(l, host, 'n6', 0, ctx, []);
    onPeerTick(cfg, l, host, ctx, []);
    expect(woken).toEqual(['s0e1:wake']);
    onPeerTick(cfg, l, host, ctx, []);
    expect(woken).toEqual(['s0e1:wake']);
  });

  it('a suspected peer heard again wakes the quiet primaries of its groups', () => {
    const { woken, host, ctx, l } = setup();
    ctx.now += 200_000;
    onPeerTick(cfg, l, host, ctx, []);
    woken.length = 0;
    onPeerHeartbeat(l, host, 'n5', 0, ctx, []);
    expect(woken).toEqual(['s2e1:wake']);
  });

  it('a restarted peer wakes the backups that followed it and the primaries it is under', () => {
    const { woken, host, ctx, l } = setup();
    onPeerHeartbeat(l, host, 'n6', 0, ctx, []);
    ctx.now += 50_000;
    onPeerHeartbeat(l, host, 'n6', 0, ctx, []);
    expect(woken).toEqual([]);
    onPeerHeartbeat(l, host, 'n6', 40_000, ctx, []);
    expect(woken).toEqual(['s1e1:wake', 's3e1:wake']);
  });
});
