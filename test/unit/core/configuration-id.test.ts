/**
 * A configuration id read back without a regular expression (configuration-id.ts): it reads
 * exactly the names `/^s(\d+)e(\d+)$/` reads, with the same numbers, and undoes
 * `groupNamespace`.
 */
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { groupNamespace, parseNamespace } from '../../../src/core/configuration-id.js';

const REFERENCE = /^s(\d+)e(\d+)$/;
const partArb = fc.string({
  maxLength: 4,
  unit: fc.constantFrom('s', 'e', '0', '1', '9', '.', 'x'),
});
/** Any short name, or one shaped like a namespace around any two parts. */
const nameArb = fc.oneof(
  fc.string({ maxLength: 8, unit: fc.constantFrom('s', 'e', '0', '1', '9', '.', 'x') }),
  fc.tuple(partArb, partArb).map(([a, b]) => `s${a}e${b}`),
);

test.prop([nameArb], { numRuns: 500 })(
  'reads what the regular expression reads, and nothing else',
  (ns) => {
    const m = REFERENCE.exec(ns);
    expect(parseNamespace(ns)).toEqual(
      m === null ? undefined : { shard: Number(m[1]), epoch: Number(m[2]) },
    );
  },
);

test.prop([fc.nat(100_000), fc.integer({ min: 1, max: 100_000 })])(
  'undoes groupNamespace',
  (shard, epoch) => {
    expect(parseNamespace(groupNamespace(shard, epoch))).toEqual({ shard, epoch });
  },
);
