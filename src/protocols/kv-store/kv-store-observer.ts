/**
 * The kv-store's one cluster-level property, `disk-image-recoverable`: every boot of a node
 * opens the engine on whatever its disk holds. On the faults the crash model allows (lost or torn
 * unsynced writes, lost directory operations, failed fsyncs, flipped bits on read) a correct
 * engine always can: the files it publishes are fsynced before they are named. A node that finds
 * its image corrupt refuses service (kv-store.ts) and this property says which file and why: a
 * named, explained outcome of the run, not a crash of the simulator.
 *
 * Corruption of synced data (bit flips on write, misdirected writes, latent sector errors) makes
 * a single node's image unrecoverable by design: there is no replica to repair from. Scenarios
 * that inject it see this property fail, with the engine's reason.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver, ObservedProperty } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import type { KvStoreState } from './kv-store.js';

const RECOVERABLE = 'disk-image-recoverable';

export function createKvStoreObserver(): ClusterObserver<KvStoreState> {
  const seen = new Map<NodeId, KvStoreState>();
  let checks = 0;
  let violation: ObservedProperty['violation'];
  return {
    observe(node: NodeId, state: KvStoreState | undefined, _now: Micros) {
      if (state === undefined || seen.get(node) === state) return;
      seen.set(node, state);
      checks++;
      const r = state.refused;
      if (r === undefined || violation !== undefined) return;
      violation = {
        atUs: r.atUs,
        node,
        message: `the engine cannot recover its disk image (${r.file}: ${r.reason}); the node refuses service`,
      };
    },
    results: () => [
      violation === undefined
        ? { name: RECOVERABLE, checks }
        : { name: RECOVERABLE, checks, violation },
    ],
  };
}
