import { describe, expect, it } from 'vitest';
import {
  findModel,
  MODEL_NAMES,
  MODELS,
} from '../../../../../src/checkers/linearizability/models/index.js';

describe('model registry', () => {
  it('has every model under its own name', () => {
    expect([...MODEL_NAMES].sort()).toEqual([
      'cas-register',
      'counter',
      'fifo-queue',
      'kv',
      'kv-list',
      'multi-register',
      'mutex',
      'register',
      'set',
    ]);
    for (const name of MODEL_NAMES) {
      expect(MODELS[name]?.name).toBe(name);
      expect(findModel(name)).toBe(MODELS[name]);
    }
  });

  it('finds nothing for unknown names, prototype keys included', () => {
    expect(findModel('nope')).toBeUndefined();
    expect(findModel('toString')).toBeUndefined();
    expect(findModel('__proto__')).toBeUndefined();
  });

  it('only the kv models are partitioned', () => {
    expect(MODEL_NAMES.filter((n) => MODELS[n]?.partition !== undefined).sort()).toEqual([
      'kv',
      'kv-list',
    ]);
  });
});
