/**
 * Raft's replicated state machine: the kv store behind client sessions (Ongaro's thesis §6.3).
 * Each client runs one command at a time and numbers them; the state machine remembers, per
 * client, the last number it applied and what it returned. A command that arrives again (a
 * retry whose first attempt did commit) is answered from the session instead of being applied
 * twice, so an append retried across a leader change lands once.
 */
import type { ClientId } from '../../core/ids.js';
import type { KvOutput } from '../../core/history.js';
import { KvStore } from '../shared/kv-store.js';
import type { RaftCommand, Snapshot } from './messages.js';

interface Session {
  readonly seq: number;
  readonly output: KvOutput;
}

export class SessionKv {
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
