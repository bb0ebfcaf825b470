/**
 * One-way message delay distributions: constant, uniform and exponential (with a floor), each
 * with an optional slow tail in which a small share of messages takes `factor` times longer
 * (the long tail FoundationDB's simulator draws to 100 ms). Samples are whole microseconds.
 */
import type { Prng } from './prng.js';
import type { Micros } from './time.js';

export type DelaySpec =
  | { readonly dist: 'constant'; readonly us: Micros; readonly slowTail?: SlowTail }
  | {
      readonly dist: 'uniform';
      readonly minUs: Micros;
      readonly maxUs: Micros;
      readonly slowTail?: SlowTail;
    }
  | {
      readonly dist: 'exponential';
      readonly minUs: Micros;
      readonly meanUs: Micros;
      readonly slowTail?: SlowTail;
    };

export interface SlowTail {
  /** Share of messages in the tail, in parts per million. */
  readonly ppm: number;
  /** How many times slower a tail message is. */
  readonly factor: number;
}

/** Draws one delay. Kept a plain function over a spec so the hot path allocates nothing. */
export function sampleDelay(spec: DelaySpec, rng: Prng): Micros {
  let d: number;
  switch (spec.dist) {
    case 'constant':
      d = spec.us;
      break;
    case 'uniform':
      d = rng.int(spec.minUs, spec.maxUs);
      break;
    case 'exponential':
      d = spec.minUs + rng.exponential(spec.meanUs);
      break;
  }
  const tail = spec.slowTail;
  if (tail !== undefined && tail.ppm > 0 && rng.chancePpm(tail.ppm))
    d = Math.round(d * tail.factor);
  return d;
}

/** The mean of a spec without its tail, used to size the reorder window. */
export function meanDelay(spec: DelaySpec): Micros {
  switch (spec.dist) {
    case 'constant':
      return spec.us;
    case 'uniform':
      return Math.round((spec.minUs + spec.maxUs) / 2);
    case 'exponential':
      return spec.minUs + spec.meanUs;
  }
}
