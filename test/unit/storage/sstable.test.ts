/**
 * SSTables: what a flush encodes reads back entry for entry (puts and tombstones, across many
 * blocks), and a flipped bit in any block, or a truncated file, reads as a named corruption.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { DiskReader } from '../../../src/core/protocol.js';
import type { Entry } from '../../../src/storage/lsm/memtable.js';
import { encodeTable, TableReader, type TableMeta } from '../../../src/storage/lsm/sstable.js';

function fileReader(file: string, data: Uint8Array): DiskReader {
  return {
    list: () => [file],
    size: (f) => (f === file ? data.length : undefined),
    read: (f, offset = 0, length = data.length) =>
      f === file
        ? { ok: true, data: data.slice(offset, offset + length) }
        : { ok: false, error: 'ENOENT' },
  };
}

const entriesArb = fc
  .uniqueArray(
    fc.record({
      key: fc.string({ minLength: 0, maxLength: 12 }),
      seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      value: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    }),
    { selector: (e) => e.key, minLength: 1, maxLength: 200 },
  )
  .map((es) => [...es].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) as Entry[]);

function open(meta: TableMeta, data: Uint8Array): TableReader {
  const t = TableReader.open(meta, fileReader(meta.file, data));
  if ('kind' in t) throw new Error(t.reason);
  return t;
}

describe('SSTable', () => {
  test.prop([entriesArb, fc.integer({ min: 64, max: 512 })])(
    'round trip: every entry back by get and by a full read, in order',
    (entries, blockBytes) => {
      const { data, meta } = encodeTable('000001.sst', entries, blockBytes, 10);
      const disk = fileReader(meta.file, data);
      const t = open(meta, data);
      expect(t.entries(disk)).toEqual(entries);
      for (const e of entries) expect(t.get(e.key, disk)).toEqual(e);
      expect(meta.entries).toBe(entries.length);
      expect(meta.smallest).toBe(entries[0]?.key);
      expect(meta.seqMax).toBe(Math.max(...entries.map((e) => e.seq)));
    },
  );

  it('a get for a key between stored keys finds nothing', () => {
    const entries: Entry[] = [
      { key: 'a', seq: 1, value: 'x' },
      { key: 'c', seq: 2, value: undefined },
    ];
    const { data, meta } = encodeTable('t.sst', entries, 64, 10);
    const t = open(meta, data);
    expect(t.get('b', fileReader('t.sst', data))).toBeUndefined();
    expect(t.get('c', fileReader('t.sst', data))).toEqual({ key: 'c', seq: 2, value: undefined });
  });

  test.prop([entriesArb, fc.nat()])(
    'a flipped bit anywhere is reported as corruption, never returned as data',
    (entries, at) => {
      const { data, meta } = encodeTable('t.sst', entries, 128, 10);
      const bad = data.slice();
      const bit = at % (bad.length * 8);
      bad[bit >>> 3] = (bad[bit >>> 3] as number) ^ (1 << (bit & 7));
      const disk = fileReader('t.sst', bad);
      const t = TableReader.open(meta, disk);
      if ('kind' in t) {
        expect(t.kind).toBe('corruption');
        return;
      }
      // The footer, index and filter were intact: the flip is in a data block.
      expect(t.entries(disk)).toMatchObject({ kind: 'corruption', file: 't.sst' });
    },
  );

  it('a truncated table is a corruption naming the size', () => {
    const { data, meta } = encodeTable('t.sst', [{ key: 'k', seq: 1, value: 'v' }], 64, 10);
    const t = TableReader.open(meta, fileReader('t.sst', data.subarray(0, data.length - 3)));
    expect(t).toMatchObject({
      kind: 'corruption',
      reason: expect.stringContaining('manifest says'),
    });
  });
});
