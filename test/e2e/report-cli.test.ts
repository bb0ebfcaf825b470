/**
 * `faultline report` and `run --html`: report.html is written beside the result, holds its data
 * and its script (no external reference), and counts exactly the message copies the trace holds.
 * A missing, truncated or foreign input is exit 65 naming the file and line; a trace from another
 * run is said so on the page, which then draws no messages.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, faultline, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

interface PageData {
  readonly trace: { readonly ok: boolean; readonly note: string };
  readonly counts: Record<string, number>;
  readonly ops: readonly unknown[];
  readonly msgs: { readonly fate: readonly number[] };
}

function pageData(html: string): PageData {
  const m = /<script type="application\/json" id="faultline-data">(.*?)<\/script>/s.exec(html);
  if (m === null) throw new Error('no embedded data');
  return JSON.parse(m[1] as string) as PageData;
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
    expect(data.counts).toEqual({ delivered: 0, dropped: 0, duplicated: 0, inFlight: 0 });
  });
});
