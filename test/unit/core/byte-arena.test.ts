/**
 * Arrays from the byte arena are views of shared chunks: each must be zero-filled and private,
 * so writing one never shows in another, whatever the sizes asked for.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { copyBytes, freshBytes } from '../../../src/core/byte-arena.js';

test.prop([fc.array(fc.nat({ max: 9000 }), { maxLength: 60 })])(
  'fresh arrays are zero-filled and never overlap',
  (sizes) => {
    const arrays = sizes.map((n) => freshBytes(n));
    for (const [i, a] of arrays.entries()) {
      expect(a.length).toBe(sizes[i]);
      expect(a.every((b) => b === 0)).toBe(true);
      a.fill(i + 1);
    }
    for (const [i, a] of arrays.entries()) expect(a.every((b) => b === i + 1)).toBe(true);
    const copy = copyBytes(arrays[0] ?? new Uint8Array(3));
    copy.fill(0xee);
    if (arrays[0] !== undefined && arrays[0].length > 0) expect(arrays[0][0]).toBe(1);
  },
);
