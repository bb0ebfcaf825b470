/**
 * The lock service's replicated state machine, for `server: raft`: the leases and their fencing
 * tokens as every replica of the Raft group computes them, applying the same committed commands
 * in the same order (Raft's seam, `raft/session-kv.ts` `StateMachine`). It is etcd's lessor and
 * Chubby's lock table in miniature:
 *
 * - A lease's expiry is a time on the clock of the leader that proposed the command: the leader
 *   stamps each command with its clock reading when it proposes it (`at`), and every replica
 *   judges "is this lease still live?" against that stamp, never against its own clock, so a
 *   replay, a follower and a snapshot all decide alike.
 * - The fencing token of a grant is the Raft log index of the command that granted it, as etcd's
 *   lock hands out the key's revision: committed indexes only grow, across leader changes and
 *   crashes, so tokens are monotonic by construction and no counter has to be kept.
 * - A leader change renews every lease by its TTL from the new leader's first stamp (etcd's
 *   `lessor.Promote`, which extends every lease on election): stamps of two leaders come from
 *   two clocks, and without it a new leader whose clock runs ahead would expire live leases
 *   early. A holder loses nothing; a lease its holder abandoned lives up to one TTL longer.
 *
 * Commands arrive as kv `put`s (key: the lock; value: the command's text), the way etcd's raft
 * log carries opaque bytes; each is applied once per client session (the owner, whose
 * operations are numbered by request id).
 */
import type { KvOutput } from '../../core/history.js';
import type { ClientId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import type { Entry, Snapshot, StateMachine, StateMachineKind } from '../raft/index.js';
import { SessionTable } from '../shared/session-table.js';
import type { RefusalReason } from './messages.js';

/** A lease command as the leader proposes it, stamped with its clock reading. */
export interface LockCommand {
  readonly op: 'acquire' | 'renew' | 'release';
  readonly owner: string;
  readonly ttlUs: Micros;
  /** The proposing leader's clock when it proposed the command. */
  readonly at: Micros;
}

/** What applying a lease command returned, as the leader answers its client. */
export type LockResult =
  | {
      readonly r: 'granted';
      readonly token: number;
      readonly ttlUs: Micros;
      /** A new lease (not a renewal or the same acquire again). */
      readonly fresh: boolean;
      /** It took over a lease that expired unreleased. */
      readonly tookExpired: boolean;
    }
  | { readonly r: 'refused'; readonly reason: RefusalReason }
  | { readonly r: 'released' };

/** A replicated lease: its expiry on the clock of the leader that stamped it. */
export interface ReplicatedLease {
  readonly owner: string;
  readonly token: number;
  readonly ttlUs: Micros;
  readonly expiresUs: Micros;
}

/** The snapshot key holding the term of the last stamped command (no lock is named so). */
const STAMP_TERM_KEY = '#stamp-term';

export const encodeCommand = (c: LockCommand): string => JSON.stringify(c);
export const decodeResult = (out: KvOutput): LockResult | undefined =>
  out === null ? undefined : (JSON.parse(out) as LockResult);

export class LockMachine implements StateMachine {
  private leases = new Map<string, ReplicatedLease>();
  private sessions = new SessionTable<KvOutput>();
  /** The term of the last stamped command applied: a newer one is a new leader's clock. */
  private stampTerm = 0;

  apply(e: Entry): KvOutput {
    if (e.cmd.f !== 'put') return null; // a leader's no-op
    const session = e.client !== undefined && e.seq !== undefined;
    if (session) {
      const done = this.sessions.applied(e.client as ClientId, e.seq as number);
      if (done !== undefined) return done.output;
    }
    const c = JSON.parse(e.cmd.value) as LockCommand;
    if (e.term > this.stampTerm) this.promote(e.term, c.at);
    const out = JSON.stringify(this.run(e.cmd.key, c, e.index));
    if (session) this.sessions.record(e.client as ClientId, e.seq as number, out);
    return out;
  }

  /** A new leader's first stamp: every lease runs its TTL again on that leader's clock. */
  private promote(term: number, at: Micros): void {
    this.stampTerm = term;
    for (const [lock, l] of this.leases) this.leases.set(lock, { ...l, expiresUs: at + l.ttlUs });
  }

  private run(lock: string, c: LockCommand, index: number): LockResult {
    const current = this.leases.get(lock);
    const live = current !== undefined && c.at < current.expiresUs;
    if (c.op === 'release') {
      if (current?.owner === c.owner) this.leases.delete(lock);
      return { r: 'released' };
    }
    const mine = live && current.owner === c.owner;
    if (c.op === 'renew') {
      if (!mine) return { r: 'refused', reason: 'not-holder' };
      this.leases.set(lock, { ...current, ttlUs: c.ttlUs, expiresUs: c.at + c.ttlUs });
      return {
        r: 'granted',
        token: current.token,
        ttlUs: c.ttlUs,
        fresh: false,
        tookExpired: false,
      };
    }
    if (mine)
      return {
        r: 'granted',
        token: current.token,
        ttlUs: c.ttlUs,
        fresh: false,
        tookExpired: false,
      };
    if (live) return { r: 'refused', reason: 'held' };
    this.leases.set(lock, {
      owner: c.owner,
      token: index,
      ttlUs: c.ttlUs,
      expiresUs: c.at + c.ttlUs,
    });
    const tookExpired = current !== undefined;
    return { r: 'granted', token: index, ttlUs: c.ttlUs, fresh: true, tookExpired };
  }

  /** The lease on `lock` as this replica has applied it (the named bug reads it). */
  lease(lock: string): ReplicatedLease | undefined {
    return this.leases.get(lock);
  }

  answered(client: ClientId, seq: number): { readonly output: KvOutput } | undefined {
    return this.sessions.answered(client, seq);
  }

  get(key: string): KvOutput {
    const l = this.leases.get(key);
    return l === undefined ? null : JSON.stringify(l);
  }

  toSnapshot(index: number, term: number, chain: number): Snapshot {
    const kv = [...this.leases]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([lock, l]) => [lock, JSON.stringify(l)] as const);
    kv.push([STAMP_TERM_KEY, String(this.stampTerm)]);
    return { index, term, chain, kv, sessions: this.sessions.dump() };
  }

  static fromSnapshot(s: Snapshot): LockMachine {
    const m = new LockMachine();
    for (const [key, value] of s.kv)
      if (key === STAMP_TERM_KEY) m.stampTerm = Number(value);
      else m.leases.set(key, JSON.parse(value) as ReplicatedLease);
    m.sessions = SessionTable.load(s.sessions);
    return m;
  }
}

export const LOCK_MACHINE: StateMachineKind = {
  empty: () => new LockMachine(),
  fromSnapshot: (s) => LockMachine.fromSnapshot(s),
};
