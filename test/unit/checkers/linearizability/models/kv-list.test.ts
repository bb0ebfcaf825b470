import { describe, expect, it } from 'vitest';
import { kvListModel as m } from '../../../../../src/checkers/linearizability/models/kv-list.js';
import { KvStore } from '../../../../../src/protocols/shared/kv-store.js';
import { checkLinearizable } from '../../../../../src/checkers/linearizability/check.js';
import type { LinOp } from '../../../../../src/checkers/linearizability/types.js';
import type { KvInput, KvOutput } from '../../../../../src/core/history.js';

describe('kv-list model (faultline kv semantics)', () => {
  it('starts absent; get returns null for an absent key, and must match exactly', () => {
    expect(m.init()).toBeNull();
    expect(m.step(null, { f: 'get', key: 'x' }, null, false)).toBeNull();
    expect(m.step(null, { f: 'get', key: 'x' }, '', false)).toBeUndefined();
    expect(m.step('', { f: 'get', key: 'x' }, null, false)).toBeUndefined();
    expect(m.step('a b', { f: 'get', key: 'x' }, 'a b', false)).toBe('a b');
    expect(m.step('a b', { f: 'get', key: 'x' }, 'ab', false)).toBeUndefined();
  });

  it('append joins with one space, put replaces, outputs ignored', () => {
    expect(m.step(null, { f: 'append', key: 'x', value: 'a' }, 'a', false)).toBe('a');
    expect(m.step('a', { f: 'append', key: 'x', value: 'b' }, null, false)).toBe('a b');
    expect(m.step('', { f: 'append', key: 'x', value: 'b' }, null, false)).toBe(' b');
    expect(m.step('a b', { f: 'put', key: 'x', value: 'c' }, 'c', false)).toBe('c');
  });

  it('agrees with the KvStore the protocols replicate', () => {
    const store = new KvStore();
    let state = m.init();
    const cmds = [
      { f: 'append', key: 'k', value: 'a' },
      { f: 'append', key: 'k', value: 'b' },
      { f: 'put', key: 'k', value: '' },
      { f: 'append', key: 'k', value: 'c' },
    ] as const;
    for (const cmd of cmds) {
      store.apply(cmd);
      state = m.step(state, cmd, null, false) as string | null;
      expect(state).toBe(store.get('k'));
      expect(m.step(state, { f: 'get', key: 'k' }, store.get('k'), false)).toBe(state);
    }
  });

  it('delete makes the key absent again: a get then reads null, and sets it whatever came before', () => {
    expect(m.step('a b', { f: 'delete', key: 'x' }, null, false)).toBeNull();
    expect(m.step(null, { f: 'delete', key: 'x' }, null, true)).toBeNull();
    expect(m.sets?.({ f: 'delete', key: 'x' }, null, false)).toBeNull();
    expect(m.describe({ f: 'delete', key: 'x' }, null, false)).toBe('delete(x) -> ok');
    const store = new KvStore();
    store.apply({ f: 'put', key: 'k', value: 'a' });
    store.apply({ f: 'delete', key: 'k' });
    expect(store.get('k')).toBeNull();
  });

  it('a value read back after an acknowledged delete is not linearizable (leveldb#184)', () => {
    const op = (id: number, input: KvInput, output: KvOutput, call: number, unknown = false) =>
      ({ id, client: `c${id}`, input, output, unknown, call, ret: call + 1 }) as LinOp<
        KvInput,
        KvOutput
      >;
    const put = op(0, { f: 'put', key: 'k', value: 'v1' }, null, 0);
    const del = op(1, { f: 'delete', key: 'k' }, null, 2);
    const back = [put, del, op(2, { f: 'get', key: 'k' }, 'v1', 4)];
    const gone = [put, del, op(2, { f: 'get', key: 'k' }, null, 4)];
    expect(checkLinearizable(back, m).verdict).toBe('violation');
    expect(checkLinearizable(gone, m).verdict).toBe('ok');
    // A delete whose outcome is unknown may have happened, or not.
    const maybe = [put, op(1, { f: 'delete', key: 'k' }, null, 2, true)];
    expect(checkLinearizable([...maybe, op(2, { f: 'get', key: 'k' }, null, 4)], m).verdict).toBe(
      'ok',
    );
    expect(checkLinearizable([...maybe, op(2, { f: 'get', key: 'k' }, 'v1', 4)], m).verdict).toBe(
      'ok',
    );
  });

  it('unknown get is legal and changes nothing; unknown put and append apply', () => {
    expect(m.step('a', { f: 'get', key: 'x' }, 'zzz', true)).toBe('a');
    expect(m.step('a', { f: 'append', key: 'x', value: 'b' }, null, true)).toBe('a b');
    expect(m.step(null, { f: 'put', key: 'x', value: 'b' }, null, true)).toBe('b');
  });

  it('is partitioned by key; keys tell absent from every string', () => {
    expect(m.partition?.({ f: 'get', key: 'k3' })).toBe('k3');
    expect(m.key(null)).not.toBe(m.key(''));
    expect(m.key(null)).not.toBe(m.key('nil'));
    expect(m.key('a b')).toBe(m.key('a b'));
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'get', key: 'x' }, 'a b', false)).toBe('get(x) -> "a b"');
    expect(m.describe({ f: 'get', key: 'x' }, null, false)).toBe('get(x) -> nil');
    expect(m.describe({ f: 'append', key: 'x', value: 'v' }, null, true)).toBe(
      'append(x, "v") -> ?',
    );
  });
});

describe('kv-list mayHoldLater with the appends still pending', () => {
  const get = { f: 'get', key: 'x' } as const;
  const append = (value: string) => ({ f: 'append', key: 'x', value }) as const;
  const holds = (state: string | null, output: string | null, pending: readonly string[]) =>
    m.mayHoldLater!(state, get, output, { all: pending.map(append), has: () => true });

  it('says yes when the pending values, joined by spaces, make what the get saw', () => {
    expect(holds('a', 'a b c', ['c', 'b'])).toBe(true);
    expect(holds(null, 'x 1 y x 2 y', ['x 2 y', 'x 1 y'])).toBe(true);
    expect(holds('a', 'a b c', ['b'])).toBe(false);
    expect(holds('a', 'b', ['b'])).toBe(false);
  });

  it('counts an empty append, which adds a separator (append "" onto "a" gives "a ")', () => {
    expect(m.step('a', append(''), null, false)).toBe('a ');
    expect(holds('a', 'a ', [''])).toBe(true);
    expect(holds('a', 'a  b', ['', 'b'])).toBe(true);
    expect(holds(null, '', [''])).toBe(true);
    expect(holds('a', 'a ', ['b'])).toBe(false);
  });
});
