/**
 * The kv-store protocol's definition: one node serving the kv workload from the LSM storage
 * engine, with the engine's options under `options:` and its WAL-side named bugs.
 */
import type { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { createKvStore } from './kv-store.js';
import { kvStoreBackups } from './kv-store-backups.js';
import { engineOptions, type KvStoreOptions, kvStoreOptionsSchema } from './kv-store-config.js';
import { createKvStoreObserver } from './kv-store-observer.js';

export { kvStoreOptionsSchema } from './kv-store-config.js';
import { KV_STORE_COVERAGE, KV_STORE_NAMED_BUGS } from './named-bugs.js';
import { StorageMetrics } from './storage-metrics.js';

export const kvStore: ProtocolDefinition<KvStoreOptions> = {
  name: 'kv-store',
  summary:
    'One node serving kv clients from the LSM storage engine (WAL, memtable, SSTables, manifest); for storage-only scenarios.',
  workloads: ['kv'],
  bugs: KV_STORE_NAMED_BUGS,
  coverage: KV_STORE_COVERAGE,
  metrics: () => new StorageMetrics(),
  backups: true,
  optionsSchema: kvStoreOptionsSchema as unknown as z.ZodType<KvStoreOptions>,
  checkWorkload: (_options, _workload, cluster) =>
    cluster.nodes === 1
      ? undefined
      : { path: [], message: `kv-store runs on one node, got cluster.nodes ${cluster.nodes}` },
  create: ({ options, bugs }) => {
    const engine = engineOptions(options, bugs);
    const p = createKvStore(engine);
    return { ...p, createObserver: createKvStoreObserver, backups: kvStoreBackups(engine) };
  },
};
