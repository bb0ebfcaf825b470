/**
 * The crdt protocol's messages: delta-interval anti-entropy with acknowledgements (Almeida,
 * Shoker, Baquero 2018, Algorithm 2). `Delta` carries the join of a replica's delta buffer from
 * the last entry the peer acknowledged to the newest (`from`, `upTo`], or its whole state
 * (`from: null`) when the peer has acknowledged nothing in this life or the buffer no longer
 * holds what it needs. `Ack` answers with the newest entry merged, or `null` to ask for the whole
 * state when the delta could not be merged without a gap.
 *
 * Every message carries its sender's `boot`, a number that grows with each restart and is durable
 * before the node speaks: buffer positions and acknowledgements mean something only within one
 * life, so a message from an older life is ignored and one from a newer life resets what the
 * receiver assumed about the sender.
 */
import type { Hlc } from '../../components/clocks/hybrid-logical-clock.js';
import type { Json } from '../../components/crdt/crdt-type.js';
import type { VersionEntries } from '../../core/replica-set.js';

export interface DeltaMessage {
  readonly type: 'Delta';
  readonly boot: number;
  /** The buffer position the interval starts after; null for the whole state. */
  readonly from: number | null;
  /** The buffer position it reaches: the sender's newest. */
  readonly upTo: number;
  /** The delta group (or the state), in the type's canonical encoding. */
  readonly state: Json;
  /** The updates the sender had applied at `upTo` (the protocol's bookkeeping, not the type's). */
  readonly applied: VersionEntries;
  /** The sender's hybrid logical clock, which a receiver lifts its own past. */
  readonly hlc: Hlc;
}

export interface AckMessage {
  readonly type: 'Ack';
  readonly boot: number;
  /** The life of the receiver whose buffer this acknowledges. */
  readonly yourBoot: number;
  /** The newest buffer position merged, or null: send the whole state. */
  readonly upTo: number | null;
}

export type CrdtMessage = DeltaMessage | AckMessage;
