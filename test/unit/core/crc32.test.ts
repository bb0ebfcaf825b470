/**
 * The simulator's own CRC-32 must give exactly zlib's values: the WAL's records on the simulated
 * disk, and so every trace hash, were first written with `zlib.crc32`.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { crc32, crc32U32 } from '../../../src/core/crc32.js';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0), 0x12345678)).toBe(0x12345678);
  });

  // Empty input is the one exception: node hands zlib a null buffer, for which zlib answers 0
  // whatever the running crc. The WAL never checksums nothing (a record's body is JSON).
  test.prop([fc.uint8Array({ minLength: 2, maxLength: 300 }), fc.nat({ max: 0xffffffff })])(
    'agrees with zlib for any bytes and any running crc',
    (bytes, start) => {
      expect(crc32(bytes, start)).toBe(zlibCrc32(bytes, start));
      expect(crc32(bytes.subarray(1), start)).toBe(zlibCrc32(bytes.subarray(1), start));
    },
  );

  test.prop([fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })])(
    'crc32U32 is the crc of four big-endian bytes',
    (value, start) => {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setUint32(0, value);
      expect(crc32U32(value, start)).toBe(zlibCrc32(bytes, start));
    },
  );
});
