/**
 * The one source of randomness. seedrandom's `alea` generator behind an integer API, with
 * labelled forks: `fork('net')` and `fork('node:n3')` are seeded from the root seed and the
 * label path, never from draws, so one more draw in the network cannot change what node 3 does.
 *
 * Decisions use integers only (`int`, `chance`, `pick`, `shuffle`). The one place floating point
 * enters is `exponential`, which needs a logarithm; it rounds to whole microseconds at once.
 */
import seedrandom from 'seedrandom';
import { assert } from './assert.js';

const TWO_32 = 0x1_0000_0000;

/** Probabilities are carried as integer parts per million so decisions stay integral. */
export const PPM = 1_000_000;
export const toPpm = (ratio: number): number => Math.round(ratio * PPM);

export class Prng {
  private readonly gen: seedrandom.PRNG;

  constructor(readonly path: string) {
    this.gen = seedrandom.alea(path);
  }

  /** The root stream of a run. Seeds are non-negative integers (uint32 or larger safe ints). */
  static root(seed: number): Prng {
    assert(
      Number.isSafeInteger(seed) && seed >= 0,
      `seed must be a non-negative integer, got ${seed}`,
    );
    return new Prng(`faultline/${seed}`);
  }

  /** An independent stream named by `label` under this one. */
  fork(label: string): Prng {
    return new Prng(`${this.path}/${label}`);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.gen.int32() >>> 0;
  }

  /** A uniform integer in [min, max], both inclusive, without modulo bias. */
  int(min: number, max: number): number {
    const range = max - min + 1;
    assert(
      Number.isSafeInteger(min) && Number.isSafeInteger(max) && range >= 1 && range <= TWO_32,
      () => `int(${min}, ${max}) out of range`,
    );
    if (range === 1) return min;
    const limit = TWO_32 - (TWO_32 % range);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return min + (x % range);
  }

  /** True with probability num/den. */
  chance(num: number, den: number): boolean {
    if (num <= 0) return false;
    if (num >= den) return true;
    return this.int(0, den - 1) < num;
  }

  /** True with probability ppm / 1,000,000. */
  chancePpm(ppm: number): boolean {
    return this.chance(ppm, PPM);
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /**
   * An exponentially distributed whole number of microseconds with the given mean. The only
   * floating-point draw in the simulator; the result is rounded at once.
   */
  exponential(meanUs: number): number {
    if (meanUs <= 0) return 0;
    const u = this.uint32() / TWO_32; // in [0, 1)
    return Math.round(-meanUs * Math.log(1 - u));
  }
}
