/**
 * What a checker may ask the world to keep of a run besides the client history: the marks
 * under name prefixes it declares (`cluster.`), each with its node, time and value, and when
 * each node crashed and restarted. A checker that judges what a protocol did over time (where
 * replicas were placed, how long a shard had no primary) reads these; the world keeps none of
 * it unless a checker of the scenario asks, so other runs pay nothing.
 */
import type { NodeId } from './ids.js';
import type { Micros } from './time.js';

/** One mark a node emitted (DESIGN §3's `mark` effect), as the world saw it. */
export interface MarkRecord {
  readonly atUs: Micros;
  readonly node: NodeId;
  readonly name: string;
  readonly value: number | undefined;
}

/** A node crashed (`up: false`: its volatile state is gone) or restarted (`up: true`). */
export interface NodeLifeRecord {
  readonly atUs: Micros;
  readonly node: NodeId;
  readonly up: boolean;
}

/** What the world kept, in the order it happened: empty when no checker asked. */
export type RunTimeline = readonly (MarkRecord | NodeLifeRecord)[];

export const isMark = (e: MarkRecord | NodeLifeRecord): e is MarkRecord => 'name' in e;
