/**
 * The lock service (README.md): a lock server granting leases with fencing tokens
 * (lock-server.ts), the store the lock protects, checking tokens or not (protected-store.ts),
 * and the clients that take locks and write under them (lock-client.ts), each a node, so that
 * crashes, pauses and clock faults strike each as the scenario says. The node contract's
 * handlers, each dispatching on the node's role to the module that implements the rule.
 *
 * With `server: raft` the lock server is a Raft group instead (lock-replica.ts, lock-machine.ts):
 * the project's Raft runs inside each replica's node, its state machine the lock table, as etcd
 * keeps its leases in its raft log. Raft's cluster observer (election safety, log matching…)
 * watches the group. Left out: Redlock's majority of independent instances.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { LockInput } from '../../core/lock-ops.js';
import type { ClusterObserver, NodeContext, Protocol, Step } from '../../core/protocol.js';
import type { RaftState } from '../raft/index.js';
import {
  createLockConfig,
  type LockConfig,
  type LockServiceOptions,
  roleOf,
} from './lock-config.js';
import {
  onClientMessage,
  onClientRequest,
  onRetry,
  onWorkDone,
  RETRY_TIMER,
  WORK_TIMER,
} from './lock-client.js';
import {
  createLockGroup,
  fromRaft,
  groupContext,
  isLeaseRequest,
  onLeaseRequest,
  type RaftProtocol,
} from './lock-replica.js';
import { answerGrant, onServerMessage, recoverServer } from './lock-server.js';
import {
  freshClient,
  freshReplica,
  freshServer,
  freshStore,
  type LockState,
  type ReplicaState,
} from './lock-state.js';
import { isRaftMessage, type LockEffect, type LockWire } from './messages.js';
import { answerVerdict, onStoreWrite, recoverStore } from './protected-store.js';

type LockStep = Step<LockState, LockWire, unknown>;

export function createLockService(
  options: LockServiceOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<LockState, LockWire, LockInput, unknown> {
  const cfg = createLockConfig(options, bugs, nodes);
  const group = cfg.replicas === undefined ? undefined : createLockGroup(cfg);
  const step = (s: LockState, fx: LockEffect[]): LockStep => ({ state: s, effects: fx });
  /** Runs one of Raft's handlers on a replica and takes its effects as the lock service's. */
  const inGroup = (
    s: ReplicaState,
    fx: LockEffect[],
    run: (raft: RaftProtocol) => ReturnType<RaftProtocol['init']>,
  ): LockStep => {
    const r = run(group as RaftProtocol);
    s.raft = r.state;
    fromRaft(s, r.effects, fx);
    return step(s, fx);
  };
  return {
    name: 'lock-service',

    init(ctx) {
      const fx: LockEffect[] = [];
      if (group !== undefined && roleOf(cfg, ctx.node) === 'replica') {
        announce(cfg, ctx, fx);
        const r = group.init(groupContext(cfg, ctx));
        return inGroup(freshReplica(r.state), fx, () => r);
      }
      return step(boot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: LockEffect[] = [];
      if (group !== undefined && roleOf(cfg, ctx.node) === 'replica') {
        announce(cfg, ctx, fx);
        const r = group.onRecover(groupContext(cfg, ctx));
        return inGroup(freshReplica(r.state), fx, () => r);
      }
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'replica') {
        const g = groupContext(cfg, ctx);
        if (isRaftMessage(m)) return inGroup(s, fx, (raft) => raft.onMessage(s.raft, from, m, g));
        if (isLeaseRequest(m)) onLeaseRequest(cfg, group as RaftProtocol, s, from, m, ctx, fx);
        return step(s, fx);
      }
      if (isRaftMessage(m)) return step(s, fx);
      if (s.role === 'client') onClientMessage(cfg, s, m, ctx, fx);
      else if (!s.log.ready) return step(s, fx);
      else if (s.role === 'server') onServerMessage(cfg, s, from, m, ctx, fx);
      else if (m.type === 'Write') onStoreWrite(cfg, s, from, m, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'replica') {
        const g = groupContext(cfg, ctx);
        return inGroup(s, fx, (raft) => raft.onTimer(s.raft, timer, g));
      }
      if (s.role === 'client' && timer.startsWith(WORK_TIMER))
        onWorkDone(cfg, s, Number(timer.slice(WORK_TIMER.length)), fx);
      else if (s.role === 'client' && timer.startsWith(RETRY_TIMER))
        onRetry(cfg, s, Number(timer.slice(RETRY_TIMER.length)), fx);
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

    onDiskDone(s, done, ctx) {
      const fx: LockEffect[] = [];
      if (s.role === 'replica') {
        const g = groupContext(cfg, ctx);
        return inGroup(s, fx, (raft) => raft.onDiskDone(s.raft, done, g));
      }
      if (s.role === 'server') for (const g of s.log.synced(done, fx)) answerGrant(s, g, fx);
      else if (s.role === 'store') for (const v of s.log.synced(done, fx)) answerVerdict(v, fx);
      return step(s, fx);
    },

    checkInvariants(s, ctx) {
      if (s.role === 'replica') group?.checkInvariants?.(s.raft, groupContext(cfg, ctx));
    },

    describeMessage: (m) => (m.type === 'Refused' ? `Refused ${m.reason}` : m.type),

    describeState: (s) =>
      s.role === 'replica'
        ? { role: 'lock replica', ...group?.describeState?.(s.raft) }
        : s.role === 'server'
          ? { role: 'lock server', leases: s.leases.size, nextToken: s.nextToken }
          : s.role === 'store'
            ? { role: 'store', verdicts: s.entries.length }
            : { role: 'lock client', held: s.held.size },

    ...(group === undefined ? {} : { createObserver: () => groupObserver(group) }),
  };
}

/** Raft's cluster observer (Figure 3's properties) over the replicas' Raft states. */
function groupObserver(group: RaftProtocol): ClusterObserver<LockState> {
  const raft = group.createObserver?.() as ClusterObserver<RaftState>;
  return {
    observe(node, s, now) {
      if (s === undefined || s.role === 'replica') raft.observe(node, s?.raft, now);
    },
    results: () => raft.results(),
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
  if (role === 'client') return freshClient(cfg.server);
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
