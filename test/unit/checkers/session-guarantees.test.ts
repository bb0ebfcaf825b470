import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkSessionGuarantees,
  type SessionGuaranteesEvidence,
} from '../../../src/checkers/session-guarantees.js';
import type { History } from '../../../src/core/history.js';
import { runSeed } from '../../../src/run/run-seed.js';
import { loadScenario } from '../../../src/runner/load-scenario.js';
import { formatOp, kvHistory, registerHistory } from './session-guarantees-fixtures.js';

const check = (h: History) => checkSessionGuarantees(h, formatOp);
const evidence = (h: History) => check(h).evidence as SessionGuaranteesEvidence;

describe('session-guarantees on kv histories (real-time order)', () => {
  it('counts a read that misses its own acknowledged write as read-your-writes, for its client', () => {
    const h = kvHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c1', f: 'get', value: null },
    ]);
    const r = check(h);
    expect(r.verdict).toBe('violation');
    const ev = evidence(h);
    expect(ev.violations['read-your-writes']).toBe(1);
    expect(ev.byClient).toEqual({
      c1: {
        'read-your-writes': 1,
        'monotonic-reads': 0,
        'monotonic-writes': 0,
        'writes-follow-reads': 0,
      },
    });
    expect(ev.first[0]).toMatchObject({ readId: 1, missingId: 0, becauseId: 0 });
    expect(ev.rule).toContain('real time');
    expect(ev.staleReads).toBe(1);
  });

  it('counts a read that shows less than the same client read before as monotonic reads', () => {
    const h = kvHistory([
      { client: 'c2', f: 'append', value: 'c2.1' },
      { client: 'c1', f: 'get', value: 'c2.1' },
      { client: 'c1', f: 'get', value: null },
    ]);
    const ev = evidence(h);
    expect(ev.violations).toEqual({
      'read-your-writes': 0,
      'monotonic-reads': 1,
      'monotonic-writes': 0,
      'writes-follow-reads': 0,
    });
    expect(ev.first[0]).toMatchObject({ client: 'c1', readId: 2, missingId: 0, becauseId: 1 });
  });

  it('counts a read showing a later write of a session without its earlier one as monotonic writes, against the writer', () => {
    const h = kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c1', f: 'append', value: 'c1.2' },
      { client: 'c2', f: 'get', value: 'c1.2' },
    ]);
    const ev = evidence(h);
    expect(ev.violations['monotonic-writes']).toBe(1);
    expect(ev.first[0]).toMatchObject({ client: 'c1', readId: 2, missingId: 0, becauseId: 1 });
  });

  it('counts a write seen without what its writer had read as writes-follow-reads, against the writer', () => {
    const h = kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c2', f: 'get', value: 'c1.1' },
      { client: 'c2', f: 'append', value: 'c2.1' },
      { client: 'c3', f: 'get', value: 'c2.1' },
    ]);
    const ev = evidence(h);
    expect(ev.violations['writes-follow-reads']).toBe(1);
    expect(ev.violations['monotonic-writes']).toBe(0);
    expect(ev.first[0]).toMatchObject({ client: 'c2', readId: 3, missingId: 0, becauseId: 2 });
  });

  it('lets a put that may have come after a write erase it', () => {
    const h = kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1', at: 0, done: 5 },
      { client: 'c2', f: 'put', value: 'c2.1', at: 3, done: 8 },
      { client: 'c1', f: 'get', value: 'c2.1', at: 20 },
    ]);
    expect(check(h).verdict).toBe('ok');
  });

  it('does not let a put that completed before the write was invoked erase it', () => {
    const h = kvHistory([
      { client: 'c2', f: 'put', value: 'c2.1' },
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c1', f: 'get', value: 'c2.1' },
    ]);
    expect(evidence(h).violations['read-your-writes']).toBe(1);
  });

  it('holds no one to a write that failed or whose outcome is unknown', () => {
    const h = kvHistory([
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c1', f: 'append', value: 'c1.2', outcome: 'fail' },
      { client: 'c1', f: 'append', value: 'c1.3', outcome: 'info' },
      { client: 'c1', f: 'get', value: 'c1.1' },
    ]);
    expect(check(h).verdict).toBe('ok');
  });

  it('counts a read missing another client’s acknowledged write as stale, not as a violation', () => {
    const h = kvHistory([
      { client: 'c2', f: 'append', value: 'c2.1' },
      { client: 'c1', f: 'append', value: 'c1.1' },
      { client: 'c1', f: 'get', value: 'c1.1' },
    ]);
    const r = check(h);
    expect(r.verdict).toBe('ok');
    expect((r.evidence as SessionGuaranteesEvidence).staleReads).toBe(1);
    expect(r.summary).toContain('1 of 1 reads stale');
  });

  it('compares writes within a key only', () => {
    const h = kvHistory([
      { client: 'c1', f: 'put', key: 'k1', value: 'c1.1' },
      { client: 'c1', f: 'get', key: 'k2', value: null },
    ]);
    expect(check(h).verdict).toBe('unknown');
  });

  it('says unknown when no read could be held to anything', () => {
    const r = check(kvHistory([{ client: 'c1', f: 'get', value: null }]));
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('nothing to judge');
    expect(check([]).verdict).toBe('unknown');
  });
});

describe('session-guarantees on register histories (causal contexts)', () => {
  it('counts a read at a replica without the client’s own put', () => {
    const h = registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c1', f: 'get', values: [] },
    ]);
    const ev = evidence(h);
    expect(ev.violations['read-your-writes']).toBe(1);
    expect(ev.rule).toContain('causal context');
  });

  it('takes a put written over the value (by its context) as covering it, whatever the clock', () => {
    const h = registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c2', f: 'get', values: ['c1.1'], context: ['n1:1'] },
      { client: 'c2', f: 'put', value: 'c2.1', context: ['n1:1'] },
      { client: 'c1', f: 'get', values: ['c2.1'], context: ['n2:1'] },
    ]);
    expect(check(h).verdict).toBe('ok');
  });

  it('does not take a concurrent put (empty context) as covering the client’s write', () => {
    const h = registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c2', f: 'put', value: 'c2.1' },
      { client: 'c1', f: 'get', values: ['c2.1'], context: ['n2:1'] },
    ]);
    expect(evidence(h).violations['read-your-writes']).toBe(1);
  });

  it('judges nothing when reads carry no causal context (last-writer-wins), however they look', () => {
    // Under LWW the later timestamp wins, and timestamps are not in the history: c2.1 may have
    // been ordered after c1.1, so c1 reading it is no read-your-writes violation.
    const h = registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c2', f: 'put', value: 'c2.1' },
      { client: 'c1', f: 'get', values: ['c2.1'] },
    ]);
    const r = check(h);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('no causal context');
  });

  it('takes siblings as covering both writes', () => {
    const h = registerHistory([
      { client: 'c1', f: 'put', value: 'c1.1' },
      { client: 'c1', f: 'put', value: 'c1.2' },
      { client: 'c2', f: 'get', values: ['c1.1', 'c1.2'], context: ['n1:1', 'n1:2'] },
    ]);
    expect(check(h).verdict).toBe('ok');
  });
});

describe('session-guarantees on a real run', () => {
  it('catches raft.stale-read (a deposed leader serving reads from memory) and clears Raft without it', async () => {
    const { scenario } = await loadScenario(
      fileURLToPath(new URL('../../../scenarios/raft-partitioned-reads.yaml', import.meta.url)),
    );
    const judge = (bugs: string[]) => {
      const { history } = runSeed(scenario, 2, { bugs });
      return checkSessionGuarantees(history, (op) => scenario.workload.definition.formatOp(op));
    };
    const buggy = judge(['raft.stale-read']);
    expect(buggy.verdict).toBe('violation');
    const ev = buggy.evidence as SessionGuaranteesEvidence;
    expect(ev.violations['read-your-writes']).toBeGreaterThan(0);
    expect(ev.staleReads).toBeGreaterThan(0);
    const clean = judge([]);
    expect(clean.verdict).toBe('ok');
    expect((clean.evidence as SessionGuaranteesEvidence).staleReads).toBe(0);
  });
});
