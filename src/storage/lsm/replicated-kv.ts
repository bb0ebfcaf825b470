/**
 * A replicated log's kv state machine kept in the LSM engine (`storage: lsm` in primary/backup
 * and Raft), instead of in memory rebuilt from the log after every crash.
 *
 * Applying log entry `i` writes one engine batch (lsm-engine.ts `writeBatch`, one WAL record):
 * the command's write, the client session's new record, and the applied mark (`i`, its term and
 * chain digest) under the reserved key `\u0000applied`. The mark is therefore durable exactly
 * when the data it describes is, and recovery replays the protocol's log only past it. Writing
 * them apart is etcd's bug (#13766: the consistent index saved apart from the data it covers, so
 * a crash between the two re-applies entries on replay; research B.24), switchable here as
 * `apart` for the named bug: the data goes first, the session and the mark in a second batch.
 *
 * Keys starting with `\u0000` are reserved (the mark, `\u0000session/<client>`); user keys are
 * the rest. A checkpoint of the store is its user keys and sessions at the applied mark, read
 * in one step (a consistent view: nothing else runs inside a step); installing one replaces the
 * whole state in one batch, deleting what the checkpoint lacks.
 *
 * Left out: a read that stays corrupt after every retry is not survivable here (the protocol has
 * no way yet to refuse service or repair from a replica), and is an assertion failure.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { DiskCompletion, DiskReader, Effect } from '../../core/protocol.js';
import { ENGINE_TAG_BASE, maintain, openEngine, readRetrying } from './engine-host.js';
import type { BatchOp, LsmEngine } from './lsm-engine.js';
import type { LsmOptions } from './lsm-options.js';
import type { Recovery } from './recovery.js';
import type { Corruption } from './sstable.js';

/** The last applied log entry: its index, and its term and chain digest to match a log against. */
export interface AppliedMark {
  readonly index: number;
  readonly term: number;
  readonly chain: number;
}

/** A client session's last command and its answer (Raft thesis §6.3). */
export interface SessionRecord {
  readonly seq: number;
  readonly output: KvOutput;
}

export type ReplicatedCommand = KvInput | { readonly f: 'noop' };

/** Everything the store holds at its applied mark, as plain data. */
export interface KvCheckpoint {
  readonly kv: readonly (readonly [string, string])[];
  readonly sessions: readonly (readonly [string, number, KvOutput])[];
}

const APPLIED_KEY = '\u0000applied';
const SESSION_PREFIX = '\u0000session/';
/** The first key past every session key ('0' follows '/'). */
const SESSION_END = '\u0000session0';
/** User keys are every key from here on. */
const USER_FROM = '\u0001';
const NONE: AppliedMark = Object.freeze({ index: 0, term: 0, chain: 0 });

export class ReplicatedKv {
  /** Sequence numbers of mark writes not yet durable, with the index each marks. */
  private pending: { readonly seq: number; readonly index: number }[] = [];
  private durableIndex: number;

  private constructor(
    readonly engine: LsmEngine,
    /** The mark of the last entry applied (durable or not). */
    public applied: AppliedMark,
    private readonly sessions: Map<string, SessionRecord>,
    private readonly apart: boolean,
    /** The node's disk, as the host handed it at open (the same reader for the incarnation). */
    private readonly disk: DiskReader,
  ) {
    this.durableIndex = applied.index;
  }

  /** Opens the store on `disk` (an empty disk is a first boot, at mark 0). */
  static open<M, O>(
    options: LsmOptions,
    disk: DiskReader,
    fx: Effect<M, O>[],
    apart = false,
  ): { readonly kv: ReplicatedKv; readonly recovery: Recovery } | Corruption {
    const opened = openEngine(options, disk, fx, ENGINE_TAG_BASE);
    if (!('engine' in opened)) return opened;
    const { engine, recovery } = opened;
    const mark = readRetrying(engine, APPLIED_KEY, disk);
    if (mark.kind === 'corruption') return mark;
    const applied = mark.kind === 'found' ? (JSON.parse(mark.value) as AppliedMark) : NONE;
    const sessions = new Map<string, SessionRecord>();
    const rows = engine.scan(SESSION_PREFIX, SESSION_END, disk);
    if ('kind' in rows) return rows;
    for (const r of rows) {
      const [seq, output] = JSON.parse(r.value as string) as [number, KvOutput];
      sessions.set(r.key.slice(SESSION_PREFIX.length), { seq, output });
    }
    return { kv: new ReplicatedKv(engine, applied, sessions, apart, disk), recovery };
  }

  /** The highest index whose mark (and so its data) survives a power loss. */
  get durableApplied(): number {
    const durable = this.engine.durableSeq;
    let n = 0;
    while (n < this.pending.length && (this.pending[n]?.seq as number) <= durable) n++;
    if (n > 0) {
      this.durableIndex = (this.pending[n - 1] as { index: number }).index;
      this.pending = this.pending.slice(n);
    }
    return this.durableIndex;
  }

  /** The value of a user key now. */
  get(key: string): KvOutput {
    const r = readRetrying(this.engine, key, this.disk);
    assert(r.kind !== 'corruption', () => `engine read of ${key} stays corrupt`);
    return r.kind === 'found' ? r.value : null;
  }

  /** The cached answer when this client's command `seq` was the last one applied. */
  answered(client: string, seq: number): { readonly output: KvOutput } | undefined {
    const last = this.sessions.get(client);
    return last !== undefined && last.seq === seq ? { output: last.output } : undefined;
  }

  /**
   * Applies the entry `mark` describes: its command (unless its session says it was applied
   * already), the session's new record and the mark, in one batch (two under `apart`).
   */
  apply<M, O>(
    cmd: ReplicatedCommand,
    session: { readonly client: string; readonly seq: number } | undefined,
    mark: AppliedMark,
    fx: Effect<M, O>[],
  ): KvOutput {
    const last = session === undefined ? undefined : this.sessions.get(session.client);
    let output: KvOutput;
    let data: BatchOp[] = [];
    const meta: BatchOp[] = [];
    if (session !== undefined && last !== undefined && session.seq <= last.seq) {
      output = last.output;
    } else {
      ({ output, data } = this.execute(cmd));
      if (session !== undefined) {
        this.sessions.set(session.client, { seq: session.seq, output });
        meta.push(sessionOp(session.client, session.seq, output));
      }
    }
    meta.push(markOp(mark));
    if (this.apart && data.length > 0) {
      this.engine.writeBatch(data, fx);
      this.write(meta, mark, fx);
    } else this.write([...data, ...meta], mark, fx);
    maintain(this.engine, this.disk, fx);
    return output;
  }

  /** The command's answer and the writes it makes, read against the store as it is now. */
  private execute(cmd: ReplicatedCommand): { output: KvOutput; data: BatchOp[] } {
    switch (cmd.f) {
      case 'noop':
        return { output: null, data: [] };
      case 'get':
        return { output: this.get(cmd.key), data: [] };
      case 'put':
        return { output: cmd.value, data: [{ key: cmd.key, value: cmd.value }] };
      case 'delete':
        return { output: null, data: [{ key: cmd.key, value: undefined }] };
      case 'append': {
        const old = this.get(cmd.key);
        const next = old === null ? cmd.value : `${old} ${cmd.value}`;
        return { output: next, data: [{ key: cmd.key, value: next }] };
      }
    }
  }

  private write<M, O>(ops: BatchOp[], mark: AppliedMark, fx: Effect<M, O>[]): number {
    const seq = this.engine.writeBatch(ops, fx);
    this.applied = mark;
    this.pending.push({ seq, index: mark.index });
    return seq;
  }

  /** User keys and sessions as they are now (at `applied`): a logical checkpoint. */
  checkpoint(): KvCheckpoint {
    const rows = this.engine.scan(USER_FROM, undefined, this.disk);
    assert(!('kind' in rows), () => 'engine scan for a checkpoint stays corrupt');
    const kv = rows.map((r) => [r.key, r.value as string] as const);
    const sessions = [...this.sessions]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, s]) => [c, s.seq, s.output] as const);
    return { kv, sessions };
  }

  /**
   * Replaces the whole state with `cp` at `mark`, in one batch: every key it lacks deleted,
   * every key it has put. Returns the batch's sequence number (durable once `durableSeq` is).
   */
  install<M, O>(cp: KvCheckpoint, mark: AppliedMark, fx: Effect<M, O>[]): number {
    const ops: BatchOp[] = [];
    const keep = new Set(cp.kv.map(([k]) => k));
    for (const [c] of cp.sessions) keep.add(SESSION_PREFIX + c);
    const rows = this.engine.scan(SESSION_PREFIX, undefined, this.disk);
    assert(!('kind' in rows), () => 'engine scan before an install stays corrupt');
    for (const r of rows) if (!keep.has(r.key)) ops.push({ key: r.key, value: undefined });
    for (const [key, value] of cp.kv) ops.push({ key, value });
    this.sessions.clear();
    for (const [c, seq, output] of cp.sessions) {
      this.sessions.set(c, { seq, output });
      ops.push(sessionOp(c, seq, output));
    }
    ops.push(markOp(mark));
    const seq = this.write(ops, mark, fx);
    maintain(this.engine, this.disk, fx);
    return seq;
  }

  /**
   * Makes everything written durable soon: under `always` the WAL does; under the other sync
   * policies only a flush does, so one is started.
   */
  hurry<M, O>(fx: Effect<M, O>[]): void {
    if (this.engine.options.sync.kind !== 'always') this.engine.flush(fx);
  }

  owns(tag: number): boolean {
    return this.engine.owns(tag);
  }

  onDiskDone<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): void {
    this.engine.onDiskDone(done, fx);
    maintain(this.engine, this.disk, fx);
  }

  /** The `interval` sync policy's periodic fsync. */
  tick<M, O>(fx: Effect<M, O>[]): void {
    this.engine.tick(fx);
  }
}

const markOp = (m: AppliedMark): BatchOp => ({
  key: APPLIED_KEY,
  value: JSON.stringify({ index: m.index, term: m.term, chain: m.chain }),
});

const sessionOp = (client: string, seq: number, output: KvOutput): BatchOp => ({
  key: SESSION_PREFIX + client,
  value: JSON.stringify([seq, output]),
});
