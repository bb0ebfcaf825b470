/**
 * The kv-store's options as a scenario writes them, and what the node reads: the storage
 * engine's options (lsm-options.ts) with the named bugs switched on as engine mutations, so no
 * handler looks a string up in a set. Ranges are the engine's own: `lsmOptionProblems` names
 * each bad value by the same path the scenario wrote it at, so the parser positions the error.
 */
import { z } from 'zod';
import {
  DEFAULT_LSM_OPTIONS,
  type LsmMutation,
  type LsmOptions,
  lsmOptionProblems,
} from '../../storage/lsm/lsm-options.js';

/** The engine's options as a scenario gives them: all of `LsmOptions` but the mutations. */
export type KvStoreOptions = Omit<LsmOptions, 'mutations'>;

const syncSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { kind: v } : v),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('always') }),
    z.strictObject({ kind: z.literal('interval'), everyMs: z.number() }),
    z.strictObject({ kind: z.literal('none') }),
  ]),
);

export const kvStoreOptionsSchema = z
  .strictObject({
    sync: syncSchema
      .default({ kind: 'always' })
      .describe(
        'when the WAL is fsynced, and so what an acknowledgement promises: always (each write, ' +
          'group commit; acknowledged once durable), { kind: interval, everyMs } or none ' +
          '(acknowledged at once; a power loss may lose them, which the sync policy allows)',
      ),
    memtableBytesMax: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.memtableBytesMax)
      .describe('memtable bytes that start a flush to an SSTable, 256 to 67108864'),
    blockBytes: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.blockBytes)
      .describe('SSTable data block size in bytes, 64 to 1048576'),
    bloomBitsPerKey: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.bloomBitsPerKey)
      .describe('bloom filter bits per key, 0 (no filter) to 32'),
    levelFanout: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.levelFanout)
      .describe("size ratio between adjacent levels' targets, 2 to 100"),
    level1BytesMax: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.level1BytesMax)
      .describe('target bytes of level 1 (deeper levels multiply it), 1024 to 1073741824'),
    level0CompactionTrigger: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.level0CompactionTrigger)
      .describe('level-0 tables that make a level-0 compaction due, 1 to 64'),
    tableBytesMax: z
      .number()
      .default(DEFAULT_LSM_OPTIONS.tableBytesMax)
      .describe("bytes at which a compaction's output table is closed, 256 to 268435456"),
  })
  .superRefine((o, ctx) => {
    for (const p of lsmOptionProblems(o)) {
      ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
    }
  });

/** The engine options a node opens its store with: the scenario's, plus the bugs switched on. */
export function engineOptions(o: KvStoreOptions, bugs: ReadonlySet<string>): LsmOptions {
  const mutations = new Set<LsmMutation>();
  for (const b of bugs) {
    if (b.startsWith('kv-store.')) mutations.add(b.slice('kv-store.'.length) as LsmMutation);
  }
  return { ...o, mutations };
}

/**
 * Whether a write is acknowledged only once `durableSeq` covers it: under `always`. Under
 * `interval` and `none` it is acknowledged once accepted (RocksDB's `sync = false`), and a power
 * loss may take it: the policy's stated price, which the crash-consistency checker allows.
 */
export const acksDurable = (o: LsmOptions): boolean => o.sync.kind === 'always';
