/**
 * The shared encoding of WAL entries (record-log.ts `entryRecord`): one entry object is encoded
 * once, whoever writes it, and what is written is exactly the record `{ t: 'e', e }` encoded on
 * its own; an equal entry in another object is encoded to the same bytes, a different one not.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  encodeRecords,
  entryRecord,
} from '../../../../src/protocols/shared/record-log.js';

const entry = (index: number) => ({ epoch: 2, index, cmd: { f: 'append', key: 'k1', value: 'v' } });

describe('entryRecord', () => {
  it('encodes an entry object once, as the record { t: e, e } would be', () => {
    const e = entry(1);
    const first = entryRecord(e);
    expect(entryRecord(e)).toBe(first);
    const shared = encodeRecords([first], 0);
    const plain = encodeRecords([{ t: 'e', e }], 0);
    expect(shared.data).toEqual(plain.data);
    expect(shared.crc).toBe(plain.crc);
    expect(decodeRecords(shared.data).records).toEqual([{ t: 'e', e }]);
  });

  it('gives an equal entry the same bytes and a different entry other bytes', () => {
    expect(entryRecord(entry(3)).body).toEqual(entryRecord(entry(3)).body);
    expect(entryRecord(entry(3)).body).not.toEqual(entryRecord(entry(4)).body);
  });
});
