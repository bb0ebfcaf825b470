/**
 * Each node's own clock: virtual time seen through an offset and a drift rate, so protocols that
 * lean on leases or last-writer-wins timestamps can be shown to break under skew. Drift is in
 * parts per million (+100 runs 100 µs fast per second). Readings are whole microseconds and
 * never go backwards unless a scenario bumps the offset backwards, as Jepsen's clock nemesis does.
 */
import type { Micros } from '../core/time.js';

export class LocalClock {
  constructor(
    public offsetUs: Micros = 0,
    public driftPpm = 0,
  ) {}

  read(virtualUs: Micros): Micros {
    if (this.driftPpm === 0) return virtualUs + this.offsetUs;
    return virtualUs + this.offsetUs + Math.trunc((virtualUs * this.driftPpm) / 1_000_000);
  }

  /** How long a local duration lasts in virtual time (timers run on the local clock). */
  toVirtual(localUs: Micros): Micros {
    if (this.driftPpm === 0) return localUs;
    return Math.max(0, Math.round((localUs * 1_000_000) / (1_000_000 + this.driftPpm)));
  }
}
