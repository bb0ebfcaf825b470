/**
 * Shared parses of WAL records (record-log.ts `parseShared`): decoding with them gives exactly
 * the records `JSON.parse` gives, and the same valid prefix, for any run of records, torn or
 * not; a record read twice is the same object, frozen all the way down, so no reader can change
 * what another reads.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  decodeMeta,
  decodeRecords,
  encodeMetaSlot,
  encodeRecords,
  META_SLOT_BYTES,
  parseShared,
} from '../../../../src/protocols/shared/record-log.js';

const json = fc.jsonValue().filter((v) => v !== null);

test.prop([fc.array(json, { maxLength: 12 }), fc.nat(), fc.nat()])(
  'decodes what JSON.parse decodes, torn or not',
  (records, cut, repeat) => {
    const { data } = encodeRecords(records, 0);
    // Twice over (a second run shares the first's parses), then cut short (a torn tail).
    const bytes = data.subarray(0, data.length - (cut % (data.length + 1)));
    for (let i = 0; i <= repeat % 2; i++) {
      const shared = decodeRecords(bytes, 0, parseShared);
      const plain = decodeRecords(bytes);
      expect(shared).toEqual(plain);
    }
  },
);

describe('parseShared', () => {
  it('gives one frozen object per string, however deep', () => {
    const text = JSON.stringify({ t: 'e', e: { index: 7, cmd: { f: 'put', keys: ['a'] } } });
    const a = parseShared(text) as { e: { cmd: { keys: string[] } } };
    expect(parseShared(text)).toBe(a);
    expect(Object.isFrozen(a.e.cmd.keys)).toBe(true);
    expect(() => a.e.cmd.keys.push('b')).toThrow(TypeError);
  });

  it('stays correct past its bound (it empties itself and parses again)', () => {
    for (let i = 0; i < 5000; i++) expect(parseShared(`{"i":${i}}`)).toEqual({ i });
    expect(parseShared('{"i":1}')).toEqual({ i: 1 });
  });

  it('reads the newest meta slot as JSON.parse does', () => {
    const bytes = new Uint8Array(2 * META_SLOT_BYTES);
    const slot = (seq: number, epoch: number) => encodeMetaSlot({ seq, epoch } as { seq: number });
    bytes.set(slot(3, 2), META_SLOT_BYTES);
    bytes.set(slot(2, 1), 0);
    expect(decodeMeta(bytes, parseShared)).toEqual({ seq: 3, epoch: 2 });
    expect(decodeMeta(bytes, parseShared)).toEqual(decodeMeta(bytes));
  });
});
