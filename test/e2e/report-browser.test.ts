/**
 * report.html in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
 * installs when missing) driven by playwright-core. The page loads from file:// with no console
 * error and no request beyond its own file; the diagram draws exactly the delivered, dropped and
 * duplicated copies the trace holds (counted here from trace.ndjson, independently of the
 * writer); the history draws one bar per operation; a finding's row moves both views to its
 * moment; clicking an operation highlights it and its neighbours in the longest linearization.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultline, show, useTempDirs } from './cli.js';

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
const temp = useTempDirs();

interface Drawn {
  readonly delivered: number;
  readonly dropped: number;
  readonly duplicated: number;
}

interface Handle {
  readonly drawn: Drawn & { readonly heldClog: number; readonly heldPause: number };
  readonly faultBars: number;
  readonly charts: readonly string[];
  readonly bars: number;
  readonly highlighted: number[];
  readonly view: { t0: number; t1: number };
}

/** Copies delivered, dropped and duplicated, counted from the trace file alone. */
function traceCounts(path: string): Drawn {
  const c = { delivered: 0, dropped: 0, duplicated: 0 };
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text === '') continue;
    const l = JSON.parse(text) as { ev: string; copies?: number };
    if (l.ev === 'recv' || l.ev === 'request' || l.ev === 'drop' || l.copies === 0)
      c[l.ev === 'recv' || l.ev === 'request' ? 'delivered' : 'dropped']++;
    if ((l.copies ?? 1) > 1) c.duplicated++;
  }
  return c;
}

/**
 * Message copies held, counted from the trace alone: by a clog, the copies of every send line
 * with `heldUntil`; by a pause, the receipts at a node at the very moment the trace says it
 * resumed (a paused node handles what reached it when it resumes).
 */
function traceHeld(path: string): { heldClog: number; heldPause: number } {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((t) => t !== '')
    .map(
      (t) =>
        JSON.parse(t) as {
          t: number;
          ev: string;
          node?: string;
          copies?: number;
          heldUntil?: number;
          action?: string;
          detail?: string;
        },
    );
  const resumes = new Set(
    lines.filter((l) => l.ev === 'fault' && l.action === 'resume').map((l) => `${l.detail}@${l.t}`),
  );
  let heldClog = 0;
  let heldPause = 0;
  for (const l of lines) {
    if (l.heldUntil !== undefined) heldClog += l.copies ?? 1;
    else if ((l.ev === 'recv' || l.ev === 'request') && resumes.has(`${l.node}@${l.t}`))
      heldPause++;
  }
  return { heldClog, heldPause };
}

/** A scripted clog and pause on primary/backup: messages held by each. */
const HELD_SCENARIO = `name: held
protocol: primary-backup
options: { mode: sync }
cluster: { nodes: 3 }
network:
  delay: { dist: uniform, min: 1ms, max: 3ms }
workload: { type: kv, clients: 2, keys: 2, mix: { get: 1, put: 1, append: 0 }, timeout: 300ms }
faults:
  schedule:
    - { at: 300ms, clog: n2, for: 100ms }
    - { at: 600ms, pause: n3, for: 150ms }
phases: { faulty: 1s, healed: 200ms, final: 300ms }
checkers: [durability, linearizability]
`;

interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

let browser: Browser;

async function open(html: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(html).href);
  // Wait for the whole page: the fault timeline, metric charts and details come after the
  // first frame.
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { faultlineReport?: { detailsLoaded: boolean } }).faultlineReport
        ?.detailsLoaded === true,
  );
  return { page, errors, requests };
}

const handle = (page: Page): Promise<Handle> =>
  page.evaluate(() => {
    const h = (globalThis as unknown as { faultlineReport: Handle }).faultlineReport;
    return {
      drawn: h.drawn,
      bars: h.bars,
      highlighted: h.highlighted,
      view: h.view,
      faultBars: h.faultBars,
      charts: h.charts,
    };
  });

describe('report.html in Chromium', () => {
  let lesson: string;
  let ping: string;
  let held: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const out = temp('browser');
    const a = await faultline([
      'run',
      'scenarios/lessons/async-loses-writes.yaml',
      '--seed',
      '1',
      '--out',
      out,
      '--html',
    ]);
    if (a.code !== 1) throw new Error(`the lesson did not fail:\n${show(a)}`);
    lesson = join(out, 'async-loses-writes', '1');
    const b = await faultline([
      'run',
      'scenarios/smoke/ping.yaml',
      '--seed',
      '2',
      '--out',
      out,
      '--html',
    ]);
    if (b.code !== 0) throw new Error(`ping failed:\n${show(b)}`);
    ping = join(out, 'ping', '2');
    const scenario = join(out, 'held.yaml');
    writeFileSync(scenario, HELD_SCENARIO);
    const c = await faultline(['run', scenario, '--seed', '1', '--out', out, '--html']);
    if (c.code !== 0) throw new Error(`held failed:\n${show(c)}`);
    held = join(out, 'held', '1');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['a failing lesson', () => lesson],
    ['a lossy, duplicating network', () => ping],
  ])(
    '%s: loads from file:// with no error and no request, and draws every copy',
    async (_, dir) => {
      const { page, errors, requests } = await open(join(dir(), 'report.html'));
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(join(dir(), 'report.html')).href]);
      const h = await handle(page);
      const want = traceCounts(join(dir(), 'trace.ndjson'));
      expect(h.drawn).toMatchObject(want);
      expect(want.delivered + want.dropped).toBeGreaterThan(0);
      const history = JSON.parse(readFileSync(join(dir(), 'history.json'), 'utf8'));
      expect(h.bars).toBe(history.operations.length);
      await page.close();
    },
  );

  it('draws the copies a clog held and those a paused node held, as the trace holds them', async () => {
    const { page, errors } = await open(join(held, 'report.html'));
    const want = traceHeld(join(held, 'trace.ndjson'));
    expect(want.heldClog).toBeGreaterThan(0);
    expect(want.heldPause).toBeGreaterThan(0);
    const h = await handle(page);
    expect({ heldClog: h.drawn.heldClog, heldPause: h.drawn.heldPause }).toEqual(want);
    expect(await page.textContent('.legend')).toContain(
      `held by a clog ${want.heldClog} · at a paused node ${want.heldPause}`,
    );
    // The fault schedule's own timeline: one bar per clog and pause, on the shared viewport.
    expect(h.faultBars).toBe(2);
    expect(await page.locator('#fault-timeline').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("clicking an arrow shows its message's body, inflated after the first draw", async () => {
    const { page, errors } = await open(join(held, 'report.html'));
    // The first copy delivered from one node to another, centred, clicked at its midpoint.
    const at = await page.evaluate(() => {
      type M = { fate: ArrayLike<number>; from: ArrayLike<number>; to: ArrayLike<number> };
      const h = (
        globalThis as unknown as {
          faultlineReport: {
            model: { msgs: M & { sendUs: ArrayLike<number>; endUs: ArrayLike<number> } };
            centre(t: number, s: number): void;
            view: { t0: number; t1: number };
          };
        }
      ).faultlineReport;
      const m = h.model.msgs;
      let i = 0;
      while (m.fate[i] !== 0 || m.from[i] === m.to[i] || (m.from[i] as number) > 2) i++;
      const mid = ((m.sendUs[i] as number) + (m.endUs[i] as number)) / 2;
      h.centre(mid, 20 * ((m.endUs[i] as number) - (m.sendUs[i] as number)));
      return { i, mid, t0: h.view.t0, t1: h.view.t1, from: m.from[i], to: m.to[i] };
    });
    const box = await page.locator('#diagram').boundingBox();
    if (box === null) throw new Error('no diagram canvas');
    const x = box.x + 44 + ((at.mid - at.t0) / (at.t1 - at.t0)) * (box.width - 44);
    const y = box.y + 22 + 17 + ((at.from as number) + (at.to as number)) * 17;
    await page.mouse.click(x, y);
    const text = (await page.textContent('#detail')) ?? '';
    expect(text).toMatch(/sent at .*received at/);
    expect(text).toMatch(/\{"type":"/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['a failing lesson', () => lesson],
    ['a lossy, duplicating network', () => ping],
  ])('%s: a chart per metric, latency and availability included', async (_, dir) => {
    const { page, errors } = await open(join(dir(), 'report.html'));
    const result = JSON.parse(readFileSync(join(dir(), 'result.json'), 'utf8'));
    const want = ['latency', 'availability', ...Object.keys(result.metrics).sort()];
    const h = await handle(page);
    expect([...h.charts.slice(0, 2), ...h.charts.slice(2).sort()]).toEqual(want);
    const drawn = await page.$$eval('canvas.metric-chart', (cs) =>
      cs.map((c) => [c.getAttribute('data-metric'), (c as unknown as { width: number }).width]),
    );
    expect(drawn.map(([m]) => m)).toEqual(h.charts);
    for (const [, width] of drawn) expect(width).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the ping run has drops and duplicates to draw', () => {
    const c = traceCounts(join(ping, 'trace.ndjson'));
    expect(c.dropped).toBeGreaterThan(0);
    expect(c.duplicated).toBeGreaterThan(0);
  });

  it('a finding moves both views to its moment; an operation highlights its neighbours', async () => {
    const { page } = await open(join(lesson, 'report.html'));
    const result = JSON.parse(readFileSync(join(lesson, 'result.json'), 'utf8'));
    const index = result.checks.findIndex(
      (c: { checker: string }) => c.checker === 'linearizability',
    );
    const evidence = result.checks[index].evidence;
    const at = evidence.culprit.ret as number;
    await page.click(`tr[data-finding="${index}"]`);
    const h = await handle(page);
    expect(h.view.t0).toBeLessThan(at);
    expect(h.view.t1).toBeGreaterThan(at);
    expect(h.view.t1 - h.view.t0).toBeLessThan(result.endUs / 2);
    for (const id of ['diagram', 'history']) {
      const t0 = Number(await page.getAttribute(`#${id}`, 'data-t0'));
      const t1 = Number(await page.getAttribute(`#${id}`, 'data-t1'));
      expect([t0, t1]).toEqual([h.view.t0, h.view.t1]);
    }
    expect(h.highlighted[0]).toBe(evidence.culprit.id);
    // Time travel follows: each node's state (describeState) at that moment.
    expect(Number(await page.getAttribute('#time-travel', 'data-t'))).toBe(at);
    for (const node of ['n1', 'n2', 'n3'])
      expect(await page.textContent(`#time-travel tr[data-node="${node}"]`)).toMatch(
        /primary|backup|candidate|down/,
      );

    // An operation in the middle of the longest linearization, clicked where its bar is drawn.
    const order = evidence.longestLinearization as {
      id: number;
      call: number;
      ret: number;
      client: string;
    }[];
    const i = Math.floor(order.length / 2);
    const op = order[i] as (typeof order)[number];
    await page.evaluate(
      ([t, span]) =>
        (
          globalThis as unknown as { faultlineReport: { centre(t: number, s: number): void } }
        ).faultlineReport.centre(t, span),
      [(op.call + op.ret) / 2, (op.ret - op.call) * 4] as const,
    );
    const box = await page.locator('#history').boundingBox();
    if (box === null) throw new Error('no history canvas');
    const row = Number(op.client.slice(1)) - 1;
    await page.mouse.click(box.x + 44 + (box.width - 44) / 2, box.y + 6 + row * 22 + 10);
    const after = await handle(page);
    expect(after.highlighted).toEqual([op.id, order[i - 1]?.id, order[i + 1]?.id]);
    await page.close();
  });
});
