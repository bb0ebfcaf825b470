/**
 * What the dynamo protocol's WAL holds, one record per change to what a node keeps: a key's
 * versions (the whole set after the change, so replay keeps the last), a hint kept for a home
 * node, or a hint handed off. `boot` opens the log on a first boot.
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
  | { readonly t: 'hd'; readonly home: NodeId; readonly key: string };
