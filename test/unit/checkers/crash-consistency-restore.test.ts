/**
 * The crash-consistency checker across a restore from backups: a write acknowledged after the
 * restore's point and before the restore may be lost, and is counted as the restore's measured
 * cost (its RPO); a write acknowledged at or before the point that is missing, or one
 * acknowledged after the restore, is a violation; without the restore, the same loss is one too.
 */
import { describe, expect, it } from 'vitest';
import { checkCrashConsistency } from '../../../src/checkers/crash-consistency.js';
import type { History, Operation } from '../../../src/core/history.js';

let nextId = 0;

function append(value: string, ackUs: number): Operation {
  return {
    id: nextId++,
    client: 'c1',
    f: 'append',
    input: { f: 'append', key: 'k', value },
    output: undefined,
    invokeUs: ackUs - 1,
    completeUs: ackUs,
    outcome: 'ok',
    phase: 'faulty',
  };
}

function finalRead(output: string): Operation {
  return {
    id: nextId++,
    client: 'c2',
    f: 'get',
    input: { f: 'get', key: 'k' },
    output,
    invokeUs: 100,
    completeUs: 101,
    outcome: 'ok',
    phase: 'final',
  };
}

const RESTORE = { node: 'n1', atUs: 30, pointUs: 15 };
const writes = [append('a1', 1), append('a2', 11), append('a3', 21), append('a4', 40)];
const judge = (history: History, restores = [RESTORE]) =>
  checkCrashConsistency({ history, lossAllowedBy: undefined, observed: [], restores });

describe('crash consistency across a restore', () => {
  it('a write acknowledged after the point and before the restore is its measured cost', () => {
    const r = judge([...writes, finalRead('a1 a2 a4')]);
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain(
      'restore of n1 at 30us to its point 15us lost 1 acknowledged writes (RPO: acknowledged 21us to 21us, 6us after the point)',
    );
    expect(r.evidence).toMatchObject({
      restores: [{ ...RESTORE, lost: 1, lostAckedUs: [21, 21] }],
    });
  });

  it('a write acknowledged before the point that is missing is a violation', () => {
    const r = judge([...writes, finalRead('a1 a4')]);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain(
      'though the restore of n1 at 30us vouched for every write acknowledged by 15us',
    );
  });

  it('a write acknowledged after the restore must survive as any other', () => {
    expect(judge([...writes, finalRead('a1 a2')]).verdict).toBe('violation');
  });

  it('without the restore, the same loss is a violation', () => {
    expect(judge([...writes, finalRead('a1 a2 a4')], []).verdict).toBe('violation');
  });
});
