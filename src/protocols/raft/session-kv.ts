/**
 * Raft's replicated state machine: the kv store behind client sessions (Ongaro's thesis §6.3).
 * Each client runs one command at a time and numbers them; the state machine remembers, per
 * client, the last number it applied and what it returned. A command that arrives again (a
 * retry whose first attempt did commit) is answered from the session instead of being applied
 * twice, so an append retried across a leader change lands once.
 *
 * `StateMachine` is the seam another protocol uses to put its own state machine behind Raft's
 * log (the lock service's leases, `protocols/lock-service/lock-machine.ts`): what Raft asks of
 * one is to apply a committed entry in log order, to answer a retried command from its session,
 * to read a key (ReadIndex), and to go to and come back from a snapshot. Commands stay kv
 * commands on the wire (a `put` whose value is the command's text, as etcd's log carries opaque
 * bytes), so the log, its digests and its records are the same for every state machine.
 */
import type { ClientId } from '../../core/ids.js';
import type { KvOutput } from '../../core/history.js';
import { KvStore } from '../shared/kv-store.js';
import type { Entry, RaftCommand, Snapshot } from './messages.js';

/** A replicated state machine behind Raft's log: every replica applies the same entries. */
export interface StateMachine {
  /** Applies a committed entry (its index and term included), in log order. */
  apply(e: Entry): KvOutput;
  /** The cached answer when this client's command `seq` was already applied. */
  answered(client: ClientId, seq: number): { readonly output: KvOutput } | undefined;
  /** A key's value, for a ReadIndex read. */
  get(key: string): KvOutput;
  toSnapshot(index: number, term: number, chain: number): Snapshot;
}

/** How Raft makes a state machine: empty on first boot, or from a snapshot. */
export interface StateMachineKind {
  empty(): StateMachine;
  fromSnapshot(s: Snapshot): StateMachine;
}

interface Session {
  readonly seq: number;
  readonly output: KvOutput;
}

export class SessionKv implements StateMachine {
  private kv = new KvStore();
  private readonly sessions = new Map<ClientId, Session>();

  apply(c: RaftCommand): KvOutput {
    if (c.client !== undefined && c.seq !== undefined) {
      const last = this.sessions.get(c.client);
      if (last !== undefined && c.seq <= last.seq) return last.output;
      const output = this.kv.apply(c.cmd);
      this.sessions.set(c.client, { seq: c.seq, output });
      return output;
    }
    return this.kv.apply(c.cmd);
  }

  /** The cached answer when this client's command `seq` was already applied. */
  answered(client: ClientId, seq: number): { readonly output: KvOutput } | undefined {
    const last = this.sessions.get(client);
    return last !== undefined && last.seq === seq ? { output: last.output } : undefined;
  }

  get(key: string): KvOutput {
    return this.kv.get(key);
  }

  toSnapshot(index: number, term: number, chain: number): Snapshot {
    const sessions = [...this.sessions]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, s]) => [c, s.seq, s.output] as const);
    return { index, term, chain, kv: this.kv.dump(), sessions };
  }

  static fromSnapshot(s: Snapshot): SessionKv {
    const m = new SessionKv();
    m.kv = KvStore.load(s.kv);
    for (const [c, seq, output] of s.sessions) m.sessions.set(c, { seq, output });
    return m;
  }
}

/** The default: the kv store behind client sessions. */
export const SESSION_KV: StateMachineKind = {
  empty: () => new SessionKv(),
  fromSnapshot: (s) => SessionKv.fromSnapshot(s),
};
