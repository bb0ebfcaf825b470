/**
 * The lock service (README.md): a lock server granting leases with fencing tokens
 * (lock-server.ts), the store the lock protects, checking tokens or not (protected-store.ts),
 * and the clients that take locks and write under them (lock-client.ts), each a node, so that
 * crashes, pauses and clock faults strike each as the scenario says. The node contract's
 * handlers, each dispatching on the node's role to the module that implements the rule.
 *
 * Left out: a replicated lock server (Redlock's majority of instances, or the lock kept in the
 * project's Raft, as etcd keeps it): one server is enough to show what fencing is for, and a
 * replicated one fails the same way under a pause.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { LockInput } from '../../core/lock-ops.js';
import type { NodeContext, Protocol, Step } from '../../core/protocol.js';
import {
  createLockConfig,
  type LockConfig,
  type LockServiceOptions,
  roleOf,
} from './lock-config.js';
import { onClientMessage, onClientRequest, onWorkDone, WORK_TIMER } from './lock-client.js';
import { answerGrant, onServerMessage, recoverServer } from './lock-server.js';
import { freshClient, freshServer, freshStore, type LockState } from './lock-state.js';
import type { LockEffect, LockMessage } from './messages.js';
import { answerVerdict, onStoreWrite, recoverStore } from './protected-store.js';

type LockStep = Step<LockState, LockMessage, unknown>;

export function createLockService(
  options: LockServiceOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<LockState, LockMessage, LockInput, unknown> {
  const cfg = createLockConfig(options, bugs, nodes);
  const step = (s: LockState, fx: LockEffect[]): LockStep => ({ state: s, effects: fx });
  return {
    name: 'lock-service',

    init(ctx) {
      const fx: LockEffect[] = [];
      return step(boot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: LockEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'client') onClientMessage(s, m, ctx, fx);
      else if (!s.log.ready) return step(s, fx);
      else if (s.role === 'server') onServerMessage(cfg, s, from, m, ctx, fx);
      else if (m.type === 'Write') onStoreWrite(cfg, s, from, m, fx);
      return step(s, fx);
    },

    onTimer(s, timer, _ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'client' && timer.startsWith(WORK_TIMER))
        onWorkDone(cfg, s, Number(timer.slice(WORK_TIMER.length)), fx);
      return step(s, fx);
    },

    onRequest(s, req, ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'client') onClientRequest(cfg, s, req, ctx, fx);
      else if (s.role === 'store' && req.op.f === 'audit' && s.log.ready)
        fx.push({ type: 'reply', requestId: req.id, outcome: audit(s) });
      else {
        const hint = req.op.f === 'audit' ? cfg.store : (cfg.clients[0] as NodeId);
        const outcome = { type: 'fail', code: 'not-a-lock-client', hint } as const;
        fx.push({ type: 'reply', requestId: req.id, outcome });
      }
      return step(s, fx);
    },

    onDiskDone(s, done, _ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'server') for (const g of s.log.synced(done, fx)) answerGrant(s, g, fx);
      else if (s.role === 'store') for (const v of s.log.synced(done, fx)) answerVerdict(v, fx);
      return step(s, fx);
    },

    describeMessage: (m) => (m.type === 'Refused' ? `Refused ${m.reason}` : m.type),

    describeState: (s) =>
      s.role === 'server'
        ? { role: 'lock server', leases: s.leases.size, nextToken: s.nextToken }
        : s.role === 'store'
          ? { role: 'store', verdicts: s.entries.length }
          : { role: 'lock client', held: s.held.size },
  };
}

function audit(s: Extract<LockState, { role: 'store' }>) {
  return { type: 'ok', value: { entries: s.entries.slice() } } as const;
}

function announce(cfg: LockConfig, ctx: NodeContext, fx: LockEffect[]): void {
  fx.push({ type: 'mark', name: `lock.${roleOf(cfg, ctx.node)}` });
}

function boot(cfg: LockConfig, ctx: NodeContext, fx: LockEffect[]): LockState {
  announce(cfg, ctx, fx);
  const role = roleOf(cfg, ctx.node);
  if (role === 'client') return freshClient();
  const s = role === 'server' ? freshServer() : freshStore();
  s.log.create(fx);
  return s;
}

/** Undefined when a server or store has no file yet (a crash during first boot). */
function recover(cfg: LockConfig, ctx: NodeContext, fx: LockEffect[]): LockState | undefined {
  const role = roleOf(cfg, ctx.node);
  if (role === 'client') return boot(cfg, ctx, fx);
  const s = role === 'server' ? freshServer() : freshStore();
  const records = s.log.recover(ctx, fx, 'lock.torn-tail-erased');
  if (records === undefined) return undefined;
  announce(cfg, ctx, fx);
  if (s.role === 'server') recoverServer(cfg, s, records, ctx, fx);
  else recoverStore(s, records);
  return s;
}
