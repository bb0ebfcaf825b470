/**
 * The sorted string array helpers: insertion and removal keep the order `Array#sort` gives, a
 * name is never held twice, and removing an absent name changes nothing.
 */
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { insertSorted, lowerBound, removeSorted } from '../../../src/core/sorted-strings.js';

const nameArb = fc.string({ maxLength: 4, unit: fc.constantFrom('a', 'b', '.', '-', 'Z', 'é') });

test.prop([fc.array(fc.record({ add: fc.boolean(), name: nameArb }), { maxLength: 60 })])(
  'insertSorted and removeSorted keep the set sorted as sort() orders it',
  (ops) => {
    const kept: string[] = [];
    const model = new Set<string>();
    for (const { add, name } of ops) {
      if (add) {
        insertSorted(kept, name);
        model.add(name);
      } else {
        removeSorted(kept, name);
        model.delete(name);
      }
      expect(kept).toEqual([...model].sort());
    }
  },
);

test.prop([fc.array(nameArb).map((xs) => [...new Set(xs)].sort()), nameArb])(
  'lowerBound is the first index whose string is not below the key',
  (keys, key) => {
    const at = lowerBound(keys, key);
    expect(keys.slice(0, at).every((k) => k < key)).toBe(true);
    expect(keys.slice(at).every((k) => k >= key)).toBe(true);
  },
);
