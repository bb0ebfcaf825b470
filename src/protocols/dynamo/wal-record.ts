/**
 * What the dynamo protocol's WAL holds, one record per change to what a node keeps: a key's
 * versions (the whole set after the change, so replay keeps the last), a hint kept for a home
 * node, or a hint handed off, or a key's tombstone collected (`r`: the versions left and
 * the key's floor, none when the named bug purges it). `boot` opens the log on a first boot.
 */
import type { NodeId } from '../../core/ids.js';
import type { EncodedVersion } from './versions.js';

export type WalRecord =
  | { readonly t: 'boot' }
  | { readonly t: 'k'; readonly key: string; readonly v: readonly EncodedVersion[] }
  | {
      readonly t: 'h';
      readonly home: NodeId;
      readonly key: string;
      readonly v: readonly EncodedVersion[];
    }
  | { readonly t: 'hd'; readonly home: NodeId; readonly key: string }
  | {
      readonly t: 'r';
      readonly key: string;
      readonly floor: readonly (readonly [string, number])[];
      readonly v: readonly EncodedVersion[];
    };
