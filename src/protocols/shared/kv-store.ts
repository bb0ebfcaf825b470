/**
 * The replicated state machine of the kv workload: a map from keys to string values with put,
 * append and get. Append joins values with a space, so a final read lists every append that
 * survived, in order (Jepsen's set and list-append idea): durability can be read off it.
 */
import type { KvInput, KvOutput } from '../../core/history.js';

export type KvCommand = KvInput | { readonly f: 'noop' };

export class KvStore {
  private readonly data = new Map<string, string>();

  apply(cmd: KvCommand): KvOutput {
    switch (cmd.f) {
      case 'get':
        return this.data.get(cmd.key) ?? null;
      case 'put':
        this.data.set(cmd.key, cmd.value);
        return cmd.value;
      case 'append': {
        const old = this.data.get(cmd.key);
        const next = old === undefined ? cmd.value : `${old} ${cmd.value}`;
        this.data.set(cmd.key, next);
        return next;
      }
      case 'delete':
        this.data.delete(cmd.key);
        return null;
      case 'noop':
        return null;
    }
  }

  get(key: string): KvOutput {
    return this.data.get(key) ?? null;
  }

  /** Every key and value, sorted by key: what a snapshot stores. */
  dump(): [string, string][] {
    return [...this.data].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  static load(entries: readonly (readonly [string, string])[]): KvStore {
    const kv = new KvStore();
    for (const [k, v] of entries) kv.data.set(k, v);
    return kv;
  }
}
