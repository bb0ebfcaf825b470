/**
 * The replication measures joined from marks and faults: leaders elected counts every
 * promotion, and a window without a leader runs from the leader's failure to the next
 * promotion, the old leader's own included (failover counts only another node).
 */
import { describe, expect, it } from 'vitest';
import { MARKS } from '../../../../src/core/marks.js';
import { ReplicationMetrics } from '../../../../src/protocols/shared/replication-metrics.js';

describe('ReplicationMetrics', () => {
  it('counts leaders elected and the windows without one after the leader failed', () => {
    const m = new ReplicationMetrics();
    m.mark('n1', MARKS.promoted, undefined, 100);
    m.nodeFailed('n2', 150); // not the leader: no window
    m.nodeFailed('n1', 200);
    m.mark('n2', MARKS.suspect, undefined, 300);
    m.mark('n2', MARKS.promoted, undefined, 450);
    m.nodeFailed('n2', 1000);
    m.mark('n2', MARKS.promoted, undefined, 1100);
    const r = m.result();
    expect(r.leadersElected).toMatchObject({ unit: 'count', maxUs: 3, count: 1 });
    expect(r.leaderless).toMatchObject({ count: 2, maxUs: 250, meanUs: 175 });
    expect(r.failover).toMatchObject({ count: 1, maxUs: 250 });
  });
});
