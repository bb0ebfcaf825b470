/**
 * Messages a pause held, inferred by the report: a delivered copy received at the instant its
 * own receiver resumed, sent before then. A receipt at another node's resume, a copy sent at the
 * resume itself, a drop, and a copy a clog already held are not counted as pause-held.
 */
import { describe, expect, it } from 'vitest';
import { markPauseHeld } from '../../../src/report/held-messages.js';
import {
  type FaultSpan,
  HELD_CLOG,
  HELD_NONE,
  HELD_PAUSE,
  MSG_DELIVERED,
  MSG_DROPPED,
} from '../../../src/report/report-model.js';

const PAUSE: FaultSpan = { kind: 'pause', lanes: [2], fromUs: 100, toUs: 500, detail: 'n3' };

describe('markPauseHeld', () => {
  it('marks only receipts at the resume of their own receiver, sent before it', () => {
    const m = {
      to: [2, 1, 2, 2, 2],
      sendUs: [150, 150, 500, 150, 150],
      endUs: [500, 500, 500, 500, 500],
      fate: [MSG_DELIVERED, MSG_DELIVERED, MSG_DELIVERED, MSG_DROPPED, MSG_DELIVERED],
      held: [HELD_NONE, HELD_NONE, HELD_NONE, HELD_NONE, HELD_CLOG],
      heldUs: [0, 0, 0, 0, 300],
    };
    markPauseHeld(m, [PAUSE]);
    expect(m.held).toEqual([HELD_PAUSE, HELD_NONE, HELD_NONE, HELD_NONE, HELD_CLOG]);
    expect(m.heldUs).toEqual([500, 0, 0, 0, 300]);
  });

  it('marks nothing without a pause', () => {
    const m = { to: [2], sendUs: [1], endUs: [500], fate: [0], held: [0], heldUs: [0] };
    markPauseHeld(m, [{ ...PAUSE, kind: 'crash' }]);
    expect(m.held).toEqual([HELD_NONE]);
  });
});
