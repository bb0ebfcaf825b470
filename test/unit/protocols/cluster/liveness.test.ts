/**
 * The manager leader's two detectors (liveness.ts): a fixed timeout declares a node dead at
 * exactly its timeout of silence and phi accrual only after φ has held for deadAfter; a dead
 * node heard again still holding a map was a false suspicion, one heard again after a restart
 * (no map) was not.
 */
import { describe, expect, it } from 'vitest';
import { Liveness, type LivenessOptions } from '../../../../src/protocols/cluster/liveness.js';

const MS = 1000;
const o = (detector: 'phi' | 'fixed'): LivenessOptions => ({
  detector,
  phiThreshold: 8,
  heartbeatUs: 50 * MS,
  deadAfterUs: 500 * MS,
  timeoutUs: 200 * MS,
});

/** Heartbeats from n4 every 50 ms up to `lastUs`, then silence: when it is declared dead. */
function declaredAt(l: Liveness, lastUs: number): number | undefined {
  for (let t = 0; t <= 5000 * MS; t += MS) {
    if (t <= lastUs && t % (50 * MS) === 0) l.heard('n4', t, true);
    if (l.check(t).some((d) => d.node === 'n4')) return t;
  }
  return undefined;
}

describe('the detector option', () => {
  it('fixed: declared dead at exactly its timeout of silence', () => {
    expect(declaredAt(new Liveness(o('fixed'), ['n4'], 0), 1000 * MS)).toBe(1200 * MS);
  });

  it('phi: declared dead only after phi has held over the threshold for deadAfter', () => {
    const at = declaredAt(new Liveness(o('phi'), ['n4'], 0), 1000 * MS) as number;
    expect(at).toBeGreaterThan(1500 * MS);
    expect(at).toBeLessThan(2000 * MS);
  });
});

describe('false suspicions', () => {
  it('a dead node heard again still holding a map was falsely suspected, for how long', () => {
    const l = new Liveness(o('fixed'), ['n4'], 0);
    expect(l.check(300 * MS).map((d) => d.node)).toEqual(['n4']);
    expect(l.heard('n4', 450 * MS, true)).toEqual({ falselyDeadUs: 150 * MS });
    expect(l.isLive('n4')).toBe(true);
    // Heard while live: nothing to report.
    expect(l.heard('n4', 500 * MS, true)).toBeUndefined();
  });

  it('one heard again without a map had restarted: a true detection', () => {
    const l = new Liveness(o('fixed'), ['n4'], 0);
    l.check(300 * MS);
    expect(l.heard('n4', 450 * MS, false)).toBeUndefined();
    expect(l.isLive('n4')).toBe(true);
  });
});
