/**
 * `faultline report` and `run --html`: report.html is written beside the result, holds its data
 * and its script (no external reference), and counts exactly the message copies the trace holds.
 * A missing, truncated or foreign input is exit 65 naming the file and line; a trace from another
 * run is said so on the page, which then draws no messages.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { COLUMN_LAYOUT, type ColumnTable } from '../../src/report/report-model.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, faultline, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

interface PageData {
  readonly trace: { readonly ok: boolean; readonly note: string };
  readonly counts: Record<string, number>;
  readonly ops: readonly unknown[];
  readonly msgs: { readonly fate: readonly number[] };
}

/** One of the page's gzipped, base64 blocks, inflated. */
function block(html: string, id: string): Buffer {
  const m = new RegExp(`<script type="application/gzip" id="${id}">([^<]*)</script>`).exec(html);
  if (m === null) throw new Error(`no embedded ${id}`);
  return gunzipSync(Buffer.from(m[1] as string, 'base64'));
}

/** The page's data as the page reads it: JSON, and a column of the binary block (COLUMN_LAYOUT). */
function pageData(html: string): PageData {
  const rest = JSON.parse(block(html, 'faultline-data').toString('utf8')) as PageData & {
    rows: Record<ColumnTable, number>;
  };
  const columns = block(html, 'faultline-columns');
  let offset = 0;
  let fate: number[] = [];
  for (const [table, name, type] of COLUMN_LAYOUT) {
    const bytes = rest.rows[table] * (type === 'f64' ? 8 : 4);
    if (table === 'msgs' && name === 'fate')
      fate = [...new Int32Array(Uint8Array.from(columns.subarray(offset, offset + bytes)).buffer)];
    offset += bytes;
  }
  expect(offset).toBe(columns.length);
  return { ...rest, msgs: { fate } };
}

/** Delivered, dropped and duplicated copies, counted from the trace file on its own. */
function traceCounts(path: string): Record<string, number> {
  const c = { delivered: 0, dropped: 0, duplicated: 0 };
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text === '') continue;
    const l = JSON.parse(text) as { ev: string; copies?: number };
    if (l.ev === 'recv' || l.ev === 'request') c.delivered++;
    else if (l.ev === 'drop') c.dropped++;
    else if (l.copies === 0) c.dropped++;
    if (l.copies === 2) c.duplicated++;
  }
  return c;
}

function expectDataError(r: CliResult, where: RegExp): void {
  expect(r.code, show(r)).toBe(65);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).toMatch(where);
}

describe('report.html', () => {
  let dir: string;
  let seedDir: string;
  let other: string;

  beforeAll(async () => {
    dir = temp('report');
    const r = await faultline([
      'run',
      'scenarios/fast/pb-sync-power-loss.yaml',
      '--seed',
      '6',
      '--bug',
      'primary-backup.fail-when-deposed',
      '--out',
      dir,
      '--html',
    ]);
    if (r.code !== 1) throw new Error(`setup run did not fail:\n${show(r)}`);
    seedDir = join(dir, 'pb-sync-power-loss', '6');
    const o = await faultline(['run', 'scenarios/smoke/ping.yaml', '--seed', '1', '--out', dir]);
    if (o.code !== 0) throw new Error(`second run failed:\n${show(o)}`);
    other = join(dir, 'ping', '1');
  });

  it('run --html writes a self-contained page whose counts are the trace’s', () => {
    const html = readFileSync(join(seedDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[a-z]/i);
    const data = pageData(html);
    expect(data.trace.ok, data.trace.note).toBe(true);
    const want = traceCounts(join(seedDir, 'trace.ndjson'));
    expect(data.counts).toMatchObject(want);
    expect(want.delivered).toBeGreaterThan(0);
    const history = JSON.parse(readFileSync(join(seedDir, 'history.json'), 'utf8'));
    expect(data.ops.length).toBe(history.operations.length);
  });

  it('report rebuilds the page from the folder, and names it', async () => {
    const r = await faultline(['report', join(seedDir, 'result.json')]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`report: ${join(seedDir, 'report.html')}`);
  });

  it('a missing result is exit 65 naming the file', async () => {
    const missing = join(dir, 'nope', 'result.json');
    expectDataError(await faultline(['report', missing]), new RegExp(missing));
  });

  it('a trace cut short mid-line is exit 65 with its file and line', async () => {
    const d = temp('cut');
    for (const f of ['result.json', 'history.json']) copyFileSync(join(seedDir, f), join(d, f));
    const trace = readFileSync(join(seedDir, 'trace.ndjson'), 'utf8');
    const lines = trace.split('\n');
    writeFileSync(join(d, 'trace.ndjson'), `${lines.slice(0, 40).join('\n')}\n{"t":12,"ev":"se`);
    expectDataError(await faultline(['report', join(d, 'result.json')]), /trace\.ndjson:41:1: /);
    expect(existsSync(join(d, 'report.html'))).toBe(false);
  });

  it('a foreign trace or history is exit 65 with its position', async () => {
    const d = temp('foreign');
    for (const f of ['result.json', 'history.json']) copyFileSync(join(seedDir, f), join(d, f));
    writeFileSync(join(d, 'trace.ndjson'), '{"name":"not a trace"}\n');
    expectDataError(
      await faultline(['report', join(d, 'result.json')]),
      /trace\.ndjson:1:1: not a faultline trace line/,
    );
    copyFileSync(join(seedDir, 'trace.ndjson'), join(d, 'trace.ndjson'));
    writeFileSync(join(d, 'history.json'), '[1, 2');
    expectDataError(await faultline(['report', join(d, 'result.json')]), /history\.json:1:1: /);
  });

  it('--export edn writes the history as Jepsen EDN that faultline check reads back', async () => {
    const r = await faultline(['report', join(seedDir, 'result.json'), '--export', 'edn']);
    expect(r.code, show(r)).toBe(0);
    const history = JSON.parse(readFileSync(join(seedDir, 'history.json'), 'utf8'));
    // A `fail` operation definitely did not happen; the checker's import leaves it out.
    const happened = history.operations.filter((o: { outcome: string }) => o.outcome !== 'fail');
    expect(r.stdout.match(/:type :invoke/g)?.length).toBe(happened.length);
    const edn = join(temp('edn'), 'history.edn');
    writeFileSync(edn, r.stdout);
    const back = await faultline(['check', edn, '--json']);
    expect([0, 1, 2], show(back)).toContain(back.code);
  });

  it('a trace from another run is named a mismatch, and no message is drawn', async () => {
    const d = temp('mismatch');
    for (const f of ['result.json', 'history.json']) copyFileSync(join(seedDir, f), join(d, f));
    copyFileSync(join(other, 'trace.ndjson'), join(d, 'trace.ndjson'));
    const r = await faultline(['report', join(d, 'result.json')]);
    expect(r.code, show(r)).toBe(0);
    const data = pageData(readFileSync(join(d, 'report.html'), 'utf8'));
    expect(data.trace.ok).toBe(false);
    expect(data.trace.note).toMatch(/trace hash mismatch/);
    expect(data.msgs.fate).toEqual([]);
    expect(data.counts).toEqual({
      delivered: 0,
      dropped: 0,
      duplicated: 0,
      inFlight: 0,
      heldClog: 0,
      heldPause: 0,
    });
  });
});

describe('report --export', () => {
  let result: string;
  let seedDir: string;

  beforeAll(async () => {
    const out = temp('export');
    const r = await faultline(['run', 'scenarios/smoke/ping.yaml', '--seed', '2', '--out', out]);
    if (r.code !== 0) throw new Error(`setup run failed:\n${show(r)}`);
    seedDir = join(out, 'ping', '2');
    result = join(seedDir, 'result.json');
  });

  it('perfetto: trace-event JSON with one flow per delivered copy, send to receipt', async () => {
    const r = await faultline(['report', result, '--export', 'perfetto']);
    expect(r.code, show(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { traceEvents: { ph: string; id?: number; ts: number }[] };
    const starts = new Map<number, number>();
    for (const e of doc.traceEvents) if (e.ph === 's') starts.set(e.id as number, e.ts);
    const ends = doc.traceEvents.filter((e) => e.ph === 'f');
    expect(ends.length).toBe(traceCounts(join(seedDir, 'trace.ndjson')).delivered);
    expect(new Set(ends.map((e) => e.id)).size).toBe(ends.length);
    for (const e of ends) expect(e.ts).toBeGreaterThanOrEqual(starts.get(e.id as number) as number);
  });

  it('shiviz: event and host-clock lines, each receipt after its send in vector time', async () => {
    const r = await faultline(['report', result, '--export', 'shiviz']);
    expect(r.code, show(r)).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length % 2).toBe(0);
    const sent = new Map<string, Record<string, number>>();
    for (let i = 0; i < lines.length; i += 2) {
      const m = /^(\S+) (\{.*\})$/.exec(lines[i + 1] as string);
      expect(m, lines[i + 1]).not.toBeNull();
      const clock = JSON.parse((m as RegExpExecArray)[2] as string) as Record<string, number>;
      const id = /#(\d+)/.exec(lines[i] as string)?.[1] as string;
      if (/ send /.test(lines[i] as string)) sent.set(id, clock);
      else if (/ receive /.test(lines[i] as string))
        for (const [h, n] of Object.entries(sent.get(id) ?? {}))
          expect(clock[h]).toBeGreaterThanOrEqual(n);
    }
  });

  it('a result without its trace is exit 65', async () => {
    const d = temp('no-trace');
    copyFileSync(result, join(d, 'result.json'));
    expectDataError(
      await faultline(['report', join(d, 'result.json'), '--export', 'shiviz']),
      /no trace/,
    );
  });
});

it('a sweep with --html writes sweep.html: verdicts, metrics, a link to each failing seed’s page', async () => {
  const out = temp('sweep');
  const r = await faultline([
    'run',
    'scenarios/fast/pb-async-crash.yaml',
    '--seeds',
    '1..6',
    '--workers',
    '1',
    '--html',
    '--out',
    out,
  ]);
  expect(r.code, show(r)).toBe(1);
  const page = join(out, 'pb-async-crash', 'sweep.html');
  expect(r.stdout).toContain(`sweep page: ${page}`);
  const html = readFileSync(page, 'utf8');
  const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) expect(existsSync(join(out, 'pb-async-crash', l)), l).toBe(true);
  expect(html).toMatch(/<td>invalid<\/td><td>\d+<\/td>/);
});
