/**
 * The replicated state machine the log's chosen slots are applied to, in slot order: the kv
 * store behind client sessions (shared/session-table.ts), so a command chosen twice (a retry
 * the client sent after a leader change, while the first attempt was also chosen) changes the
 * store once, and its retry is answered from the session.
 */
import type { KvOutput } from '../../core/history.js';
import type { ClientId } from '../../core/ids.js';
import { KvStore } from '../shared/kv-store.js';
import { SessionTable } from '../shared/session-table.js';
import type { Command, Snapshot } from './messages.js';

export class SessionKv {
  private kv = new KvStore();
  private sessions = new SessionTable<KvOutput>();

  apply(c: Command): KvOutput {
    if (c.client === undefined || c.seq === undefined) return this.kv.apply(c.cmd);
    const done = this.sessions.applied(c.client, c.seq);
    if (done !== undefined) return done.output;
    const output = this.kv.apply(c.cmd);
    this.sessions.record(c.client, c.seq, output);
    return output;
  }

  answered(client: ClientId, seq: number): { readonly output: KvOutput } | undefined {
    return this.sessions.answered(client, seq);
  }

  get(key: string): KvOutput {
    return this.kv.get(key);
  }

  toSnapshot(index: number): Snapshot {
    return { index, kv: this.kv.dump(), sessions: this.sessions.dump() };
  }

  static fromSnapshot(s: Snapshot): SessionKv {
    const m = new SessionKv();
    m.kv = KvStore.load(s.kv);
    m.sessions = SessionTable.load(s.sessions);
    return m;
  }
}
