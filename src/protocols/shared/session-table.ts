/**
 * Client sessions for exactly-once commands (Ongaro's thesis §6.3; the same table Chubby and
 * ZooKeeper keep): each client runs one command at a time and numbers them, and a replicated
 * state machine remembers, per client, the last number it applied and what that returned. A
 * command that arrives again (a retry whose first attempt was chosen after all, perhaps under
 * another leader) is answered from the table instead of being applied twice.
 *
 * Kept apart from any one state machine so every replicated log can put its own behind it;
 * the table travels in snapshots as sorted triples, so a snapshot's bytes depend on nothing but
 * its contents.
 */
import type { ClientId } from '../../core/ids.js';

/** One client's last applied command in a snapshot: client, sequence number, output. */
export type SessionRecord<O> = readonly [ClientId, number, O];

export class SessionTable<O> {
  private readonly last = new Map<ClientId, { readonly seq: number; readonly output: O }>();

  /** The output of `client`'s command `seq` if it, or a later one, was already applied. */
  applied(client: ClientId, seq: number): { readonly output: O } | undefined {
    const l = this.last.get(client);
    return l !== undefined && seq <= l.seq ? { output: l.output } : undefined;
  }

  /** The cached answer when exactly this command was the client's last one applied. */
  answered(client: ClientId, seq: number): { readonly output: O } | undefined {
    const l = this.last.get(client);
    return l !== undefined && l.seq === seq ? { output: l.output } : undefined;
  }

  record(client: ClientId, seq: number, output: O): void {
    this.last.set(client, { seq, output });
  }

  /** Every session, sorted by client. */
  dump(): SessionRecord<O>[] {
    return [...this.last]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, l]) => [c, l.seq, l.output] as const);
  }

  static load<O>(records: readonly SessionRecord<O>[]): SessionTable<O> {
    const t = new SessionTable<O>();
    for (const [c, seq, output] of records) t.last.set(c, { seq, output });
    return t;
  }
}
