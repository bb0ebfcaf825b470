import { describe, expect, it } from 'vitest';
import {
  Engine,
  type EventHandler,
  PENDING_EVENTS_MAX_DEFAULT,
} from '../../../src/engine/engine.js';

/** A handler that reschedules itself forever: only the limits can end it. */
function forever(engine: Engine, stepUs: number): EventHandler {
  return {
    handle() {
      engine.after(stepUs, 1, 0, 0, 0, undefined);
    },
  };
}

describe('Engine', () => {
  it('ends a run that would never end with event-limit', () => {
    const e = new Engine({ eventsMax: 1000, virtualTimeUsMax: Infinity });
    e.at(0, 1, 0, 0, 0, undefined);
    expect(e.run(forever(e, 0))).toBe('event-limit');
    expect(e.eventCount).toBe(1000);
  });

  it('ends at the virtual time limit without running later events', () => {
    const e = new Engine({ eventsMax: 1e9, virtualTimeUsMax: 10_000 });
    e.at(0, 1, 0, 0, 0, undefined);
    expect(e.run(forever(e, 100))).toBe('time-limit');
    expect(e.now).toBeLessThanOrEqual(10_000);
    expect(e.eventCount).toBe(101);
  });

  it('is quiescent when the queue drains, and stopped when asked', () => {
    const e = new Engine({ eventsMax: 1e9, virtualTimeUsMax: 1e9 });
    e.at(5, 1, 0, 0, 0, undefined);
    expect(e.run({ handle: () => undefined })).toBe('quiescent');
    const f = new Engine({ eventsMax: 1e9, virtualTimeUsMax: 1e9 });
    f.at(0, 1, 0, 0, 0, undefined);
    let n = 0;
    expect(
      f.run({
        handle() {
          if (++n === 10) f.stop('enough');
          f.after(1, 1, 0, 0, 0, undefined);
        },
      }),
    ).toBe('stopped');
    expect(f.stoppedBecause).toBe('enough');
  });

  it('ends with pending-events-limit once too many events wait, however few have run', () => {
    const e = new Engine({ eventsMax: 1e9, virtualTimeUsMax: 1e9, pendingEventsMax: 1000 });
    e.at(0, 1, 0, 0, 0, undefined);
    // Every event schedules ten more: the queue grows nine times faster than the event count.
    const status = e.run({
      handle() {
        for (let i = 0; i < 10; i++) e.after(1, 1, 0, 0, 0, undefined);
      },
    });
    expect(status).toBe('pending-events-limit');
    expect(e.queue.size).toBeLessThanOrEqual(1010);
    expect(e.eventCount).toBeLessThan(120);
  });

  it('has a pending-events limit by default', () => {
    const e = new Engine({ eventsMax: 1e9, virtualTimeUsMax: 1e9 });
    e.at(0, 1, 0, 0, 0, undefined);
    const status = e.run({
      handle() {
        e.after(1, 1, 0, 0, 0, undefined);
        e.after(1, 1, 0, 0, 0, undefined);
      },
    });
    expect(status).toBe('pending-events-limit');
    expect(e.queue.size).toBe(PENDING_EVENTS_MAX_DEFAULT + 1);
  });

  it('folds every event into the trace hash: same schedule, same hash; different schedule, different hash', () => {
    const hashOf = (times: number[]) => {
      const e = new Engine({ eventsMax: 1e6, virtualTimeUsMax: 1e9 });
      for (const t of times) e.at(t, 1, t % 3, 0, 0, undefined);
      e.run({ handle: () => undefined });
      return e.hash.hex();
    };
    expect(hashOf([1, 2, 3])).toBe(hashOf([1, 2, 3]));
    expect(hashOf([1, 2, 3])).not.toBe(hashOf([1, 2, 4]));
    expect(hashOf([1, 2, 3])).toMatch(/^[0-9a-f]{16}$/);
  });
});
