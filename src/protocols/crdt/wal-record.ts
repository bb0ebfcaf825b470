/**
 * What the crdt protocol's WAL holds, one record per change to the replica: a life's boot number,
 * an update the node took (with the bookkeeping the convergence checker needs of it), or a delta
 * merged from a peer that brought updates the node had not applied (wal.ts writes and replays
 * them).
 */
import type { ClientId } from '../../core/ids.js';
import type { VersionEntries } from '../../core/replica-set.js';
import type { Json } from '../../components/crdt/crdt-type.js';

export type WalRecord =
  | { readonly t: 'boot'; readonly boot: number }
  | {
      readonly t: 'u';
      readonly counter: number;
      readonly opId: number;
      readonly client: ClientId;
      readonly op: Json;
      readonly seen: VersionEntries;
      readonly ts?: readonly [number, number];
      readonly delta: Json;
    }
  | { readonly t: 'm'; readonly delta: Json; readonly applied: VersionEntries };
