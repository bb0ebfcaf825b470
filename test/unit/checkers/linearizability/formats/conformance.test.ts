/**
 * The importers against Porcupine's own test data (../shared/conformance/porcupine): every file
 * parses, with exactly the operation counts, mixes, clients, keys, indeterminate operations and
 * read timeouts that the conformance README lists. The table below is copied from that README;
 * the files are read from disk, so a changed file or a drifting parser both show up here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  parseJepsenEtcd,
  parsePorcupineKv,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import type { LinOp } from '../../../../../src/checkers/linearizability/types.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const conformance = join(repo, '../shared/conformance/porcupine');

/** file, operations, clients, keys, get, put, append, lines */
const KV_TABLE = `
  c01-ok.txt 58 1 10 25 2 31 116
  c01-bad.txt 38 1 8 18 2 18 76
  c10-ok.txt 337 10 10 142 19 176 674
  c10-bad.txt 405 10 10 193 22 190 810
  c50-ok.txt 1712 50 10 793 76 843 3424
  c50-bad.txt 2024 50 10 894 103 1027 4048
`;

/** file, operations, process ids, open forever (:info), read timeouts, read, write, cas, lines */
const ETCD_TABLE = `
  etcd_000.log 85 19 16 0 26 24 35 170
  etcd_002.log 77 23 19 0 18 34 25 154
  etcd_004.log 85 14 11 0 36 17 32 170
  etcd_006.log 83 21 17 0 32 25 26 166
  etcd_008.log 84 16 12 0 30 28 26 168
  etcd_010.log 84 15 11 0 24 25 35 168
  etcd_012.log 81 19 15 0 25 28 28 162
  etcd_014.log 81 18 14 0 23 29 29 162
  etcd_016.log 82 19 15 0 29 22 31 164
  etcd_018.log 83 18 14 0 22 28 33 166
  etcd_020.log 84 18 15 0 30 30 24 168
  etcd_022.log 79 20 17 0 24 22 33 158
  etcd_024.log 82 18 14 0 27 29 26 164
  etcd_026.log 84 15 11 0 30 27 27 168
  etcd_028.log 83 14 11 0 23 31 29 166
  etcd_030.log 84 18 14 0 33 19 32 168
  etcd_032.log 88 11 7 0 36 23 29 176
  etcd_034.log 82 18 14 0 27 25 30 164
  etcd_036.log 81 16 12 0 25 28 28 162
  etcd_038.log 87 15 12 0 36 26 25 174
  etcd_040.log 83 16 12 0 35 24 24 166
  etcd_042.log 83 16 13 0 27 25 31 166
  etcd_044.log 82 15 12 0 24 26 32 164
  etcd_046.log 87 13 9 0 34 26 27 174
  etcd_048.log 80 15 11 0 18 30 32 160
  etcd_050.log 82 19 15 0 29 24 29 164
  etcd_052.log 80 17 14 0 21 28 31 160
  etcd_054.log 86 15 11 0 33 26 27 172
  etcd_056.log 85 15 12 0 27 29 29 170
  etcd_058.log 87 16 11 0 36 25 26 174
  etcd_060.log 87 14 11 0 35 24 28 174
  etcd_062.log 83 17 13 0 35 24 24 166
  etcd_064.log 85 14 11 0 28 34 23 170
  etcd_066.log 85 15 12 0 31 33 21 170
  etcd_068.log 86 14 11 0 25 32 29 172
  etcd_070.log 90 12 8 0 47 19 24 180
  etcd_072.log 87 15 12 0 35 28 24 174
  etcd_074.log 84 11 8 0 30 28 26 168
  etcd_076.log 85 15 11 0 29 24 32 170
  etcd_078.log 81 16 13 0 23 28 30 162
  etcd_080.log 84 16 12 0 29 31 24 168
  etcd_082.log 83 17 13 0 34 29 20 166
  etcd_084.log 86 15 11 0 36 29 21 172
  etcd_086.log 85 11 7 0 30 24 31 170
  etcd_088.log 79 18 15 0 21 27 31 158
  etcd_090.log 87 15 11 0 32 27 28 174
  etcd_092.log 81 18 15 0 30 25 26 162
  etcd_094.log 84 16 12 0 36 23 25 168
  etcd_095.log 0 0 0 0 0 0 0 0
  etcd_096.log 83 16 13 0 33 28 22 166
  etcd_098.log 84 18 14 0 30 24 30 168
  etcd_100.log 77 15 11 5 24 24 29 154
  etcd_101.log 77 14 10 5 26 26 25 154
  etcd_102.log 73 22 18 7 26 27 20 146
`;

const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));

const read = (path: string): string => readFileSync(join(conformance, path), 'utf8');
const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length - 1);
const count = <T>(xs: readonly T[], pred: (x: T) => boolean): number => xs.filter(pred).length;

/** What must hold of any importer's output. */
function expectWellFormed(ops: readonly LinOp[]): void {
  ops.forEach((op, i) => {
    expect(op.id).toBe(i);
    expect(op.line).toBe(op.call);
    expect(op.ret).toBeGreaterThan(op.call);
    if (op.ret === Infinity) expect(op.unknown).toBe(true);
  });
  // One operation in flight per client: a client's intervals do not overlap.
  const byClient = new Map<string, LinOp[]>();
  for (const op of ops) byClient.set(op.client, [...(byClient.get(op.client) ?? []), op]);
  for (const list of byClient.values())
    for (let i = 1; i < list.length; i++)
      expect(list[i]!.call).toBeGreaterThan(
        list[i - 1]!.ret === Infinity ? -Infinity : list[i - 1]!.ret,
      );
}

describe('Porcupine kv histories (conformance README table)', () => {
  it('covers every kv file on disk', () => {
    expect(
      readdirSync(join(conformance, 'kv'))
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    ).toEqual(
      rows(KV_TABLE)
        .map((r) => r[0])
        .sort(),
    );
  });
  for (const [file, ops, clients, keys, get, put, append, lines] of rows(KV_TABLE)) {
    it(`kv/${file}: ${ops} operations, ${get}/${put}/${append} get/put/append`, () => {
      const text = read(`kv/${file}`);
      expect(lineCount(text)).toBe(Number(lines));
      expect(detectFormat(text, file!)).toBe('porcupine-kv');
      const r = parsePorcupineKv(text);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      expect(r.ops.length).toBe(Number(ops));
      expect([
        count(r.ops, (o) => o.input.f === 'get'),
        count(r.ops, (o) => o.input.f === 'put'),
        count(r.ops, (o) => o.input.f === 'append'),
      ]).toEqual([Number(get), Number(put), Number(append)]);
      expect(new Set(r.ops.map((o) => o.client)).size).toBe(Number(clients));
      expect(new Set(r.ops.map((o) => o.input.key)).size).toBe(Number(keys));
      // Only :invoke and :ok lines: every call completes with a known output.
      expect(count(r.ops, (o) => o.unknown)).toBe(0);
      expectWellFormed(r.ops);
    });
  }
});

describe('Jepsen etcd logs (conformance README table)', () => {
  it('covers every etcd log on disk', () => {
    expect(
      readdirSync(join(conformance, 'jepsen'))
        .filter((f) => f.endsWith('.log'))
        .sort(),
    ).toEqual(
      rows(ETCD_TABLE)
        .map((r) => r[0])
        .sort(),
    );
  });
  for (const [file, ops, processes, openForever, readTimeouts, reads, writes, cas, lines] of rows(
    ETCD_TABLE,
  )) {
    it(`jepsen/${file}: ${ops} operations, ${openForever} open forever, ${readTimeouts} read timeouts`, () => {
      const text = read(`jepsen/${file}`);
      expect(lineCount(text)).toBe(Number(lines));
      expect(detectFormat(text, file!)).toBe('jepsen-etcd');
      const r = parseJepsenEtcd(text);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      expect(r.ops.length).toBe(Number(ops));
      expect([
        count(r.ops, (o) => o.input.f === 'read'),
        count(r.ops, (o) => o.input.f === 'write'),
        count(r.ops, (o) => o.input.f === 'cas'),
      ]).toEqual([Number(reads), Number(writes), Number(cas)]);
      expect(new Set(r.ops.map((o) => o.client)).size).toBe(Number(processes));
      expect(count(r.ops, (o) => o.ret === Infinity)).toBe(Number(openForever));
      // A timed-out read returns at its line with an unknown output.
      expect(count(r.ops, (o) => o.unknown && o.ret !== Infinity)).toBe(Number(readTimeouts));
      expect(count(r.ops, (o) => o.unknown && o.ret !== Infinity && o.input.f !== 'read')).toBe(0);
      // Every known output has the shape of its input.
      const shape = { read: ['value'], write: [], cas: ['ok'] };
      for (const o of r.ops)
        if (!o.unknown) expect(Object.keys(o.output)).toEqual(shape[o.input.f]);
      expectWellFormed(r.ops);
    });
  }

  it('reads a failed cas as completed with ok=false, not as "did not happen"', () => {
    const all = rows(ETCD_TABLE).flatMap(([file]) => {
      const r = parseJepsenEtcd(read(`jepsen/${file}`));
      return r.ok ? r.ops : [];
    });
    const failed = all.filter(
      (o) => !o.unknown && o.input.f === 'cas' && 'ok' in o.output && !o.output.ok,
    );
    const text = rows(ETCD_TABLE)
      .map(([file]) => read(`jepsen/${file}`))
      .join('');
    expect(failed.length).toBe((text.match(/:fail\s+:cas\s+\[/g) ?? []).length);
    expect(failed.length).toBeGreaterThan(100);
  });
});
