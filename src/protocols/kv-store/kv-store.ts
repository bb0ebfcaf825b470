/**
 * A single-node key-value store on the LSM storage engine (src/storage/lsm): the engine exposed
 * to clients directly, for storage-only scenarios where the disk, not the network, is what fails.
 *
 * - A write (put, append, delete) goes into the engine; under the `always` sync policy it is acknowledged
 *   once the engine's `durableSeq` covers it, under `interval` and `none` at once (the policy's
 *   promise: kv-store-config.ts). Append reads the current value and puts the joined one; delete
 *   writes a tombstone.
 * - Flushes start when the memtable is full, and compactions when the engine says one is due
 *   (a level's score reached 1), one at a time, after each request and disk completion.
 * - A get reads the engine (memtables, then tables through `ctx.disk`). Under `always` its reply
 *   waits until every write it could have seen is durable, so a client never reads a value a
 *   power loss then takes back.
 * - A read the engine finds corrupt is read again (a flipped bit in the copy read does not
 *   repeat, research A.1); corruption on every read fails the request.
 * - A restart recovers the engine from the disk image; recovery that finds corruption is tried
 *   again (a read fault) and, if it persists, the node refuses service and says why: a named
 *   outcome of the run (kv-store-observer.ts), never a crash of the simulator.
 *
 * The node owns no disk file itself: every disk effect and completion is the engine's.
 */
import type { KvInput, KvOutput } from '../../core/history.js';
import type {
  ClientRequest,
  DiskCompletion,
  NodeContext,
  Protocol,
  Step,
} from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import { maintain, openEngine, readRetrying } from '../../storage/lsm/engine-host.js';
import type { GetResult, LsmEngine } from '../../storage/lsm/lsm-engine.js';
import type { LsmOptions } from '../../storage/lsm/lsm-options.js';
import type { Corruption } from '../../storage/lsm/sstable.js';
import { acksDurable } from './kv-store-config.js';

type KvEffect = Step<KvStoreState, never, KvOutput>['effects'][number];
type Fx = KvEffect[];

/** A reply held until the engine's `durableSeq` reaches `seq`. */
interface Waiter {
  readonly requestId: number;
  readonly seq: number;
  readonly value: KvOutput;
}

/** Why a node serves nothing: the disk image it could not recover. */
interface Refusal {
  readonly file: string;
  readonly reason: string;
  readonly atUs: Micros;
}

export interface KvStoreState {
  readonly engine: LsmEngine | undefined;
  readonly refused: Refusal | undefined;
  readonly options: LsmOptions;
  /** Replies waiting for durability, in sequence order. */
  waiting: Waiter[];
  /** This incarnation has replied to a client (recovery time ends at the first reply). */
  served: boolean;
  /** Since the last flush mark: bytes clients asked to store, bytes written, bloom counters. */
  userBytes: number;
  bytesWritten: number;
  bloomFalsePositives: number;
}

const SYNC_TIMER = 'wal-sync';
export const KV_MARKS = {
  recovered: 'kv-store.recovered',
  tornTail: 'kv-store.torn-tail-dropped',
  refused: 'kv-store.refused',
  readRetried: 'kv-store.read-retried',
  flushed: 'kv-store.flushed',
  compacted: 'kv-store.compacted',
  fsyncFailed: 'kv-store.wal-fsync-failed',
  /** The first reply after a boot: the store serves again. */
  serving: 'kv-store.serving',
  /** Values since the previous flush: key and value bytes of writes, bytes written to disk. */
  userBytes: 'kv-store.user-bytes',
  bytesWritten: 'kv-store.bytes-written',
  bloomFalsePositives: 'kv-store.bloom-false-positives',
} as const;

export function createKvStore(options: LsmOptions): Protocol<KvStoreState, never> {
  return {
    name: 'kv-store',
    init: (ctx) => boot(options, ctx, false),
    onRecover: (ctx) => boot(options, ctx, true),
    onMessage: (s) => ({ state: s, effects: [] }),
    onTimer(s, timer) {
      const fx: Fx = [];
      if (timer === SYNC_TIMER && s.engine !== undefined) {
        s.engine.tick(fx);
        armSync(s.options, fx);
      }
      return { state: s, effects: fx };
    },
    onRequest(s, req, ctx) {
      const fx: Fx = [];
      serve(s, req, ctx, fx);
      return { state: s, effects: account(s, fx) };
    },
    onDiskDone(s, done, ctx) {
      const fx: Fx = [];
      diskDone(s, done, ctx, fx);
      return { state: s, effects: account(s, fx) };
    },
    describeState: (s) => ({
      serving: s.engine !== undefined,
      latestSeq: s.engine?.latestSeq ?? null,
      durableSeq: s.engine?.durableSeq ?? null,
      tables: s.engine?.tableCount ?? null,
      waiting: s.waiting.length,
    }),
  };
}

/** Opens the engine on what the disk holds: an empty disk at first boot. */
function boot(
  options: LsmOptions,
  ctx: NodeContext,
  restart: boolean,
): Step<KvStoreState, never, KvOutput> {
  const fx: Fx = [];
  const r = openEngine(options, ctx.disk, fx);
  if (!('engine' in r))
    return { state: refuse(options, r, ctx), effects: [mark(KV_MARKS.refused)] };
  if (restart) {
    fx.push(mark(KV_MARKS.recovered, r.recovery.replayedRecords));
    if (r.recovery.tornBytes > 0) fx.push(mark(KV_MARKS.tornTail, r.recovery.tornBytes));
  }
  armSync(options, fx);
  const state = fresh(options, r.engine, undefined);
  return { state, effects: account(state, fx) };
}

function fresh(options: LsmOptions, engine: LsmEngine | undefined, refused: Refusal | undefined) {
  const s: KvStoreState = {
    engine,
    refused,
    options,
    waiting: [],
    served: false,
    userBytes: 0,
    bytesWritten: 0,
    bloomFalsePositives: 0,
  };
  return s;
}

/**
 * Counts what a step wrote and replied: the bytes of its disk writes, and the first reply of the
 * incarnation; at a flush, the counters since the last one go out as marks (run metrics).
 */
function account(s: KvStoreState, fx: Fx): Fx {
  let flushed = false;
  let replied = false;
  for (const e of fx) {
    if (e.type === 'diskWrite') s.bytesWritten += e.data.length;
    else if (e.type === 'reply') replied = true;
    else if (e.type === 'mark' && e.name === KV_MARKS.flushed) flushed = true;
  }
  if (replied && !s.served) {
    s.served = true;
    fx.push(mark(KV_MARKS.serving));
  }
  if (flushed && s.engine !== undefined) {
    const fp = s.engine.stats.bloomFalsePositives;
    fx.push(mark(KV_MARKS.userBytes, s.userBytes));
    fx.push(mark(KV_MARKS.bytesWritten, s.bytesWritten));
    fx.push(mark(KV_MARKS.bloomFalsePositives, fp - s.bloomFalsePositives));
    s.userBytes = 0;
    s.bytesWritten = 0;
    s.bloomFalsePositives = fp;
  }
  return fx;
}

function refuse(options: LsmOptions, c: Corruption, ctx: NodeContext): KvStoreState {
  return fresh(options, undefined, { file: c.file, reason: c.reason, atUs: ctx.now });
}

function armSync(options: LsmOptions, fx: Fx): void {
  if (options.sync.kind === 'interval') {
    fx.push({ type: 'setTimer', name: SYNC_TIMER, afterUs: options.sync.everyMs * 1000 });
  }
}

const mark = (name: string, value?: number): KvEffect =>
  value === undefined ? { type: 'mark', name } : { type: 'mark', name, value };

function serve(s: KvStoreState, req: ClientRequest<KvInput>, ctx: NodeContext, fx: Fx): void {
  const engine = s.engine;
  if (engine === undefined) {
    const code = s.refused === undefined ? 'unavailable' : 'corrupt-disk-image';
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code } });
    return;
  }
  const op = req.op;
  let value: KvOutput;
  if (op.f === 'put') {
    engine.put(op.key, op.value, fx);
    s.userBytes += op.key.length + op.value.length;
    value = op.value;
  } else if (op.f === 'delete') {
    engine.delete(op.key, fx);
    s.userBytes += op.key.length;
    value = null;
  } else {
    const read = readKey(engine, op.key, ctx, fx);
    if (read.kind === 'corruption') {
      fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'corruption' } });
      return;
    }
    const old = read.kind === 'found' ? read.value : null;
    value = op.f === 'get' ? old : old === null ? op.value : `${old} ${op.value}`;
    if (op.f === 'append') {
      engine.put(op.key, value as string, fx);
      s.userBytes += op.key.length + op.value.length;
    }
  }
  maintain(engine, ctx.disk, fx);
  const seq = acksDurable(s.options) ? engine.latestSeq : 0;
  s.waiting.push({ requestId: req.id, seq, value });
  release(s, engine, fx);
}

/** A get, read again while the engine finds corruption (a read fault does not repeat). */
function readKey(engine: LsmEngine, key: string, ctx: NodeContext, fx: Fx): GetResult {
  return readRetrying(engine, key, ctx.disk, () => fx.push(mark(KV_MARKS.readRetried)));
}

function diskDone(s: KvStoreState, done: DiskCompletion, ctx: NodeContext, fx: Fx): void {
  const engine = s.engine;
  if (engine === undefined || !engine.owns(done.tag)) return;
  const { flushes, compactions } = engine.stats;
  const failures = engine.walSyncFailures;
  engine.onDiskDone(done, fx);
  if (engine.stats.flushes > flushes) fx.push(mark(KV_MARKS.flushed));
  if (engine.stats.compactions > compactions) fx.push(mark(KV_MARKS.compacted));
  if (engine.walSyncFailures > failures) fx.push(mark(KV_MARKS.fsyncFailed));
  maintain(engine, ctx.disk, fx);
  release(s, engine, fx);
}

/** Replies whose writes (and, for a get, whatever it could have seen) are now durable. */
function release(s: KvStoreState, engine: LsmEngine, fx: Fx): void {
  const durable = engine.durableSeq;
  let n = 0;
  for (const w of s.waiting) {
    if (w.seq > durable) break;
    fx.push({ type: 'reply', requestId: w.requestId, outcome: { type: 'ok', value: w.value } });
    n++;
  }
  if (n > 0) s.waiting = s.waiting.slice(n);
}
