/**
 * The dynamo protocol's cluster observer: it watches every node's durable versions from outside
 * and, when the run ends, shows the convergence checker each key's home replicas (core/
 * replica-set.ts, `KeyedReplicaSet`): the versions each keeps, their hash, and when they last
 * changed, which times convergence. It gathers every write a coordinator gave a dot as it sees
 * them, with the context its client read, so the checker can tell a write replaced on purpose (a
 * later client read it) from one replaced by a concurrent write (last-writer-wins) or lost.
 *
 * Only `store` (durable versions) is shown: a fallback's hints are copies on their way home. A
 * replica's versions are hashed by dot and value, not by context: under last-writer-wins two
 * replicas keep the same winner with contexts joined from the different losers each saw, and
 * it is the versions, not that bookkeeping, that a get returns. A key holding only tombstones is
 * shown as holding nothing, like a home node that collected them (tombstones.ts): a reap that
 * did not reach one home node leaves it a tombstone the others dropped, and a get of either
 * finds nothing.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver } from '../../core/protocol.js';
import type {
  KeyedReplicaSet,
  KeyedWrite,
  KeyReplica,
  KeyReplicas,
} from '../../core/replica-set.js';
import type { Micros } from '../../core/time.js';
import { TraceHash } from '../../core/trace-hash.js';
import { dotText } from '../../components/clocks/dot.js';
import type { DynamoConfig } from './dynamo-config.js';
import type { DynamoState } from './dynamo-state.js';
import { crdtValue } from './crdt-values.js';
import { allTombstones, contextOf, type Versions } from './versions.js';

/** A node's versions of one key, and when they last changed. */
interface Held {
  readonly versions: Versions;
  readonly changedAtUs: Micros;
}

export function createDynamoObserver(cfg: DynamoConfig): ClusterObserver<DynamoState> {
  const nodes = new Map<NodeId, Map<string, Held> | undefined>();
  const writes = new Map<string, KeyedWrite>();

  function gather(s: DynamoState) {
    for (const put of s.puts.values()) {
      const dot = dotText(put.version.dot);
      // A dot lost in a crash before it was durable is given again: the op tells them apart.
      const id = `${put.key} ${dot} ${put.seq}`;
      if (writes.has(id)) continue;
      writes.set(id, {
        key: put.key,
        opId: put.seq,
        dot,
        value: put.version.value,
        context: put.version.context.entries(),
      });
    }
  }

  return {
    observe(node, state, now) {
      if (state === undefined) {
        nodes.set(node, undefined);
        return;
      }
      gather(state);
      nodes.set(node, track(nodes.get(node), state.store, now));
    },
    results: () => [],
    replicas: () => keyedSet(cfg, nodes, writes),
  };
}

/**
 * The node's held versions, each key's change time carried over when its versions are the same
 * (they are immutable: a change is a new array). Most steps change nothing, and keep the old map.
 */
function track(
  prev: Map<string, Held> | undefined,
  store: ReadonlyMap<string, Versions>,
  now: Micros,
): Map<string, Held> {
  if (prev !== undefined && unchanged(prev, store)) return prev;
  const next = new Map<string, Held>();
  for (const [key, versions] of store) {
    const had = prev?.get(key);
    const same = had !== undefined && had.versions === versions;
    next.set(key, same ? had : { versions, changedAtUs: now });
  }
  return next;
}

function unchanged(prev: Map<string, Held>, store: ReadonlyMap<string, Versions>): boolean {
  if (prev.size !== store.size) return false;
  for (const [key, versions] of store) if (prev.get(key)?.versions !== versions) return false;
  return true;
}

function keyedSet(
  cfg: DynamoConfig,
  nodes: ReadonlyMap<NodeId, Map<string, Held> | undefined>,
  writes: ReadonlyMap<string, KeyedWrite>,
): KeyedReplicaSet {
  const all = [...writes.values()].sort((a, b) =>
    a.key === b.key ? (a.dot < b.dot ? -1 : 1) : a.key < b.key ? -1 : 1,
  );
  const keys = [...new Set(all.map((w) => w.key))];
  return {
    kind: 'per-key',
    resolution: cfg.resolver.resolution,
    keys: keys.map(
      (key): KeyReplicas => ({
        key,
        homes: cfg.ring.preferenceList(key, cfg.n).map((node) => replica(cfg, nodes, node, key)),
      }),
    ),
    writes: all,
  };
}

/** Under `crdt`, the clock of the writes a replica's state joined, and the value a get returns. */
function crdtView(cfg: DynamoConfig, vs: Versions) {
  const t = cfg.resolver.crdt;
  if (t === undefined) return {};
  return { crdt: { clock: contextOf(vs).entries(), read: crdtValue(t, vs) } };
}

function replica(
  cfg: DynamoConfig,
  nodes: ReadonlyMap<NodeId, Map<string, Held> | undefined>,
  node: NodeId,
  key: string,
): KeyReplica {
  const held = nodes.get(node);
  if (held === undefined) return { node, up: false, hash: '', versions: [], changedAtUs: 0 };
  const at = held.get(key);
  // A key holding only tombstones reads as one collected: not found, from either.
  const versions = at === undefined || allTombstones(at.versions) ? [] : at.versions;
  const h = new TraceHash();
  for (const v of versions) {
    h.str(dotText(v.dot));
    h.str(v.value);
  }
  return {
    node,
    up: true,
    hash: h.hex(),
    versions: versions.map((v) => [dotText(v.dot), v.value] as const),
    changedAtUs: at?.changedAtUs ?? 0,
    ...crdtView(cfg, versions),
  };
}
