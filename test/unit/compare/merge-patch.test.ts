import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../../src/compare/merge-patch.js';

describe('mergePatch (RFC 7396)', () => {
  it('merges mappings key by key, recursively', () => {
    const base = { protocol: 'raft', workload: { type: 'kv', clients: 3, think: { min: 1 } } };
    expect(mergePatch(base, { workload: { clients: 5, think: { max: 2 } } })).toEqual({
      protocol: 'raft',
      workload: { type: 'kv', clients: 5, think: { min: 1, max: 2 } },
    });
  });

  it('replaces lists and scalars, and removes a field set to null', () => {
    const base = { checkers: ['durability', 'liveness'], options: { mode: 'async' }, seed: 1 };
    expect(mergePatch(base, { checkers: ['convergence'], options: null, seed: 2 })).toEqual({
      checkers: ['convergence'],
      seed: 2,
    });
  });

  it('leaves the base untouched', () => {
    const base = { workload: { clients: 3 } };
    mergePatch(base, { workload: { clients: 9 } });
    expect(base).toEqual({ workload: { clients: 3 } });
  });
});
