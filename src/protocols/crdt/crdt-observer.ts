/**
 * The crdt protocol's cluster observer: it watches every replica from outside and, when the run
 * ends, shows the convergence checker each one (core/replica-set.ts): its state's hash and value,
 * what a read there returns, the updates it applied, and the last time its state changed, which
 * times convergence. It gathers every durable update any node took as it sees them, so an update
 * is known even if the node that took it later crashed.
 *
 * It checks one property itself, `unique-dots`: a dot names one client update, across crashes
 * and restarts. A node that handed out a dot, lost it in a crash and reused it for another
 * update would make every replica's bookkeeping ambiguous.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver, ObservedProperty } from '../../core/protocol.js';
import {
  type ReplicaSet,
  type ReplicaUpdate,
  type ReplicaView,
  updateDot,
} from '../../core/replica-set.js';
import type { Micros } from '../../core/time.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import type { SpecUpdate } from '../../components/crdt/crdt-type.js';
import type { CrdtConfig } from './crdt-config.js';
import type { CrdtState, TakenUpdate } from './crdt-state.js';

interface Seen {
  readonly state: CrdtState | undefined;
  readonly replica: unknown;
  readonly changedAtUs: Micros;
  /** How many of the node's `taken` updates were gathered, and from which array. */
  readonly takenFrom: readonly TakenUpdate[] | undefined;
  readonly takenCount: number;
}

interface Violation {
  readonly atUs: Micros;
  readonly node: NodeId;
  readonly message: string;
}

export function createCrdtObserver(cfg: CrdtConfig): ClusterObserver<CrdtState> {
  const nodes = new Map<NodeId, Seen>();
  const updates = new Map<string, { readonly node: NodeId; readonly u: TakenUpdate }>();
  let checks = 0;
  let violation: Violation | undefined;

  function gather(node: NodeId, taken: readonly TakenUpdate[], from: number, now: Micros) {
    for (let i = from; i < taken.length; i++) {
      const u = taken[i] as TakenUpdate;
      const dot = updateDot({ node, counter: u.counter });
      const had = updates.get(dot);
      checks++;
      if (had === undefined) updates.set(dot, { node, u });
      else if (had.u.opId !== u.opId && violation === undefined)
        violation = {
          atUs: now,
          node,
          message: `dot ${dot} names two updates: operations ${had.u.opId} and ${u.opId}`,
        };
    }
  }

  return {
    observe(node, state, now) {
      const prev = nodes.get(node);
      if (state === undefined) {
        nodes.set(node, { ...(prev ?? emptySeen(now)), state: undefined, changedAtUs: now });
        return;
      }
      const changed =
        prev === undefined || prev.state === undefined || prev.replica !== state.replica;
      const sameTaken = prev?.takenFrom === state.taken;
      gather(node, state.taken, sameTaken ? (prev?.takenCount ?? 0) : 0, now);
      nodes.set(node, {
        state,
        replica: state.replica,
        changedAtUs: changed ? now : (prev?.changedAtUs ?? now),
        takenFrom: state.taken,
        takenCount: state.taken.length,
      });
    },
    results(): readonly ObservedProperty[] {
      return [
        {
          name: 'unique-dots',
          checks,
          ...(violation !== undefined ? { violation } : {}),
        },
      ];
    },
    replicas: () => replicaSet(cfg, nodes, updates),
  };
}

const emptySeen = (now: Micros): Seen => ({
  state: undefined,
  replica: undefined,
  changedAtUs: now,
  takenFrom: undefined,
  takenCount: 0,
});

function replicaSet(
  cfg: CrdtConfig,
  nodes: ReadonlyMap<NodeId, Seen>,
  updates: ReadonlyMap<string, { readonly node: NodeId; readonly u: TakenUpdate }>,
): ReplicaSet {
  const t = cfg.type;
  const ids = [...nodes.keys()].sort();
  const replicas: ReplicaView[] = ids.map((node) => view(cfg, node, nodes.get(node) as Seen));
  const all = [...updates.values()].sort((a, b) =>
    a.node === b.node ? a.u.counter - b.u.counter : a.node < b.node ? -1 : 1,
  );
  const list: ReplicaUpdate[] = all.map(({ node, u }) => ({
    node,
    counter: u.counter,
    opId: u.opId,
    client: u.client,
    seen: u.seen.entries(),
  }));
  const stateOf = (node: NodeId) => nodes.get(node)?.state?.replica ?? t.empty();
  return {
    dataType: t.name,
    replicas,
    updates: list,
    diff: (a, b) => t.diff(stateOf(a), stateOf(b)),
    spec(chosen) {
      const specUpdates = chosen.map((r): SpecUpdate<unknown> => {
        const u = updates.get(updateDot(r))?.u;
        return {
          op: u?.op,
          dot: { node: r.node, counter: r.counter },
          seen: u?.seen ?? VectorClock.from(r.seen),
          ...(u?.timestamp !== undefined ? { timestamp: u.timestamp } : {}),
        };
      });
      return t.spec(specUpdates);
    },
  };
}

function view(cfg: CrdtConfig, node: NodeId, seen: Seen): ReplicaView {
  const s = seen.state;
  if (s === undefined)
    return { node, up: false, hash: '', value: null, read: null, applied: [], changedAtUs: 0 };
  return {
    node,
    up: true,
    hash: cfg.type.hash(s.replica),
    value: cfg.type.value(s.replica),
    read: cfg.binding.read(cfg.type, s.replica),
    applied: s.applied.entries(),
    changedAtUs: seen.changedAtUs,
  };
}
