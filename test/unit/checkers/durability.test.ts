import { describe, expect, it } from 'vitest';
import type { Operation, OpOutcome, PhaseName } from '../../../src/core/history.js';
import { checkDurability } from '../../../src/checkers/durability.js';

let id = 0;
function op(
  f: 'append' | 'get' | 'put',
  key: string,
  value: string | null,
  outcome: OpOutcome,
  phase: PhaseName = 'faulty',
  t = id,
): Operation {
  const input = f === 'get' ? { f, key } : { f, key, value: value as string };
  return {
    id: id++,
    client: 'c1',
    f,
    input,
    output: f === 'get' ? value : undefined,
    invokeUs: t,
    completeUs: outcome === 'info' ? undefined : t + 1,
    outcome,
    phase,
    node: 'n1',
  };
}

describe('durability checker', () => {
  it('passes when every acknowledged append is in the final read', () => {
    const h = [
      op('append', 'k', 'a', 'ok'),
      op('append', 'k', 'b', 'ok'),
      op('get', 'k', 'a b', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('all 2 acknowledged writes');
  });

  it('reports a lost acknowledged append, naming it', () => {
    const h = [
      op('append', 'k', 'a', 'ok'),
      op('append', 'k', 'b', 'ok'),
      op('get', 'k', 'a', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('1 of 2 acknowledged writes lost');
    expect(r.summary).toContain('append(k, b)');
    expect((r.evidence as { lost: { value: string }[] }).lost.map((w) => w.value)).toEqual(['b']);
  });

  it('lets an unknown (info) append go either way', () => {
    const h1 = [
      op('append', 'k', 'a', 'info'),
      op('append', 'k', 'b', 'ok'),
      op('get', 'k', 'b', 'ok', 'final'),
    ];
    const h2 = [
      op('append', 'k', 'a', 'info'),
      op('append', 'k', 'b', 'ok'),
      op('get', 'k', 'a b', 'ok', 'final'),
    ];
    expect(checkDurability(h1).verdict).toBe('ok');
    expect(checkDurability(h2).verdict).toBe('ok');
  });

  it('flags a failed append that is visible, and values nobody wrote', () => {
    expect(
      checkDurability([op('append', 'k', 'a', 'fail'), op('get', 'k', 'a', 'ok', 'final')]).verdict,
    ).toBe('violation');
    const r = checkDurability([
      op('append', 'k', 'a', 'ok'),
      op('get', 'k', 'a zz', 'ok', 'final'),
    ]);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('no client wrote');
  });

  it('is unknown when a key with acknowledged writes has no final read', () => {
    expect(
      checkDurability([op('append', 'k', 'a', 'ok'), op('get', 'k', null, 'info', 'final')])
        .verdict,
    ).toBe('unknown');
  });

  it('only counts final reads, not reads during the faulty phase', () => {
    const h = [
      op('append', 'k', 'a', 'ok'),
      op('get', 'k', null, 'ok', 'faulty'),
      op('get', 'k', 'a', 'ok', 'final'),
    ];
    expect(checkDurability(h).verdict).toBe('ok');
  });

  it('reports a lost c1.5 beside a visible c1.53: values are words, not substrings', () => {
    const h = [
      op('append', 'k', 'c1.5', 'ok'),
      op('append', 'k', 'c1.53', 'ok'),
      op('get', 'k', 'c1.53', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('violation');
    expect((r.evidence as { lost: { value: string }[] }).lost.map((w) => w.value)).toEqual([
      'c1.5',
    ]);
  });

  it('lets a put erase the writes it may come after', () => {
    const h = [
      op('append', 'k', 'a', 'ok'),
      op('put', 'k', 'x', 'ok'),
      op('get', 'k', 'x', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('ok');
    expect(r.summary).toBe(
      'all 1 acknowledged writes on 1 keys survived (1 more may have been overwritten by a put)',
    );
  });

  it('checks keys written with put: a write after the visible put completed must survive', () => {
    const h = [
      op('put', 'k', 'x', 'ok'),
      op('append', 'k', 'a', 'ok'),
      op('append', 'k', 'b', 'ok'),
      op('get', 'k', 'x a', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('1 of 3 acknowledged writes lost (first: append(k, b)');
  });

  it('reports an acknowledged put that no final read shows, when no put could erase it', () => {
    const h = [
      op('append', 'k', 'a', 'ok'),
      op('put', 'k', 'x', 'ok'),
      op('get', 'k', 'a', 'ok', 'final'),
    ];
    const r = checkDurability(h);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('first: put(k, x)');
  });

  it('is unknown, saying why, when no acknowledged write could be judged', () => {
    // The put is unknown (info): it may have taken effect after the append, so the append's
    // absence proves nothing, and nothing else was acknowledged.
    const erasable = checkDurability([
      op('put', 'k', 'x', 'info'),
      op('append', 'k', 'a', 'ok'),
      op('get', 'k', 'x', 'ok', 'final'),
    ]);
    expect(erasable.verdict).toBe('unknown');
    expect(erasable.summary).toBe(
      'checked nothing: the 1 acknowledged writes may all have been overwritten by a put',
    );
    const readsOnly = checkDurability([op('get', 'k', null, 'ok', 'final')]);
    expect(readsOnly.verdict).toBe('unknown');
    expect(readsOnly.summary).toBe('checked nothing: no write was acknowledged');
  });
});
