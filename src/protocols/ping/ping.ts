/**
 * Ping broadcast: every node, on a timer, sends `Ping` to every peer, and every peer answers
 * `Pong`. No state worth the name and no disk: it exists to measure the host itself (the
 * benchmark's 5-node broadcast case) and to show, in the README, the smallest protocol a user
 * can write against the node contract.
 *
 * It takes membership changes, the smallest honest opt-in: it pings whoever `ctx.peers` names
 * now, so a node that joined is pinged from the next round and pings back, and a node told it
 * is leaving stops its ticker (nothing to hand over: it is drained at once) while the others
 * stop pinging it. Each change it hears is a `member-join` or `member-leave` mark.
 */
import type { NodeId } from '../../core/ids.js';
import type { Effect, Protocol, Step } from '../../core/protocol.js';
import { NO_EFFECTS } from '../../core/protocol.js';

export type PingMessage =
  | { readonly type: 'Ping'; readonly round: number }
  | { readonly type: 'Pong'; readonly round: number };

export interface PingState {
  round: number;
  pongs: number;
}

export interface PingOptions {
  readonly intervalMs: number;
}

export function createPing(options: PingOptions): Protocol<PingState, PingMessage, never, never> {
  const intervalUs = Math.max(1, Math.round(options.intervalMs * 1000));
  // One effect list per peer set, reused: broadcasting allocates only the messages.
  const tick = (s: PingState, peers: readonly NodeId[]): Step<PingState, PingMessage, never> => {
    s.round++;
    const fx: Effect<PingMessage, never>[] = [];
    const msg: PingMessage = { type: 'Ping', round: s.round };
    for (const to of peers) fx.push({ type: 'send', to, msg });
    fx.push({ type: 'setTimer', name: 'tick', afterUs: intervalUs });
    return { state: s, effects: fx };
  };
  return {
    name: 'ping',
    init: (ctx) => ({
      state: { round: 0, pongs: 0 },
      effects: [{ type: 'setTimer', name: 'tick', afterUs: ctx.random.int(1, intervalUs) }],
    }),
    onRecover: (_ctx) => ({
      state: { round: 0, pongs: 0 },
      effects: [{ type: 'setTimer', name: 'tick', afterUs: intervalUs }],
    }),
    onTimer: (s, _t, ctx) => tick(s, ctx.peers),
    onMessage: (s, from, m) => {
      if (m.type === 'Ping')
        return {
          state: s,
          effects: [{ type: 'send', to: from, msg: { type: 'Pong', round: m.round } }],
        };
      s.pongs++;
      return { state: s, effects: NO_EFFECTS };
    },
    onRequest: (s, req) => ({
      state: s,
      effects: [
        { type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'unsupported' } },
      ],
    }),
    onDiskDone: (s) => ({ state: s, effects: NO_EFFECTS }),
    onMembership: (s, change, ctx) => {
      const fx: Effect<PingMessage, never>[] = [{ type: 'mark', name: `member-${change.type}` }];
      if (change.type === 'leave' && change.node === ctx.node)
        fx.push({ type: 'cancelTimer', name: 'tick' }, { type: 'mark', name: 'drained' });
      return { state: s, effects: fx };
    },
    describeMessage: (m) => m.type,
  };
}
