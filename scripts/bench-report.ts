/**
 * `npm run bench:report`: how report.html holds up on big runs, measured with the Chromium the
 * browser tests use. For runs cut at 100,000 and 1,000,000 events (primary/backup under crashes
 * and partitions, put/get on 8 keys, stopped by the event limit) it reports the HTML's size, the
 * time from navigation to the first full draw, the redraw time of zooms and pans (the page's own
 * measure of a draw, median and worst of ten each), the browser's memory (JS heap, and the
 * resident memory of the page's renderer process), the page's performance marks (its script
 * starting, the data inflated and parsed, the first frame drawn, the fault timeline and metric
 * charts drawn, the details inflated; milliseconds from navigation) and the load average. Figures go in the README; this is a benchmark,
 * not a timed test, because a loaded machine makes everything slower.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);

const scenario = (events: number) => `name: bench-report-${events}
protocol: primary-backup
options: { mode: async }
cluster: { nodes: 3 }
network:
  delay: { dist: uniform, min: 500us, max: 3ms }
  loss: 0.01
  duplicate: 0.01
  reorder: 0.02
workload: { type: kv, clients: 4, keys: 8, mix: { get: 1, put: 2, append: 0 }, timeout: 500ms }
faults:
  random:
    - { kind: crash, every: 1500ms, for: { dist: uniform, min: 200ms, max: 1s }, target: primary }
    - { kind: partition, every: 2s, for: { dist: uniform, min: 200ms, max: 1s } }
phases: { faulty: 3000s, healed: 2s, final: 5s }
limits: { events: ${events} }
checkers: [durability, linearizability, invariants]
`;

interface Handle {
  zoom(f: number, at: number): void;
  pan(f: number): void;
  lastDrawMs: number;
  readyMs: number;
  parseMs: number;
  detailsLoaded: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function redraws(page: Page, what: 'zoom' | 'pan'): Promise<number[]> {
  const ms: number[] = [];
  for (let k = 0; k < 10; k++)
    ms.push(
      await page.evaluate((w) => {
        const h = (globalThis as unknown as { faultlineReport: Handle }).faultlineReport;
        if (w === 'zoom') h.zoom(0.7, 0.5);
        else h.pan(0.2);
        return h.lastDrawMs;
      }, what),
    );
  return ms;
}

/** Resident memory of Chromium's renderer processes (the page's own), the largest, in MB. */
function rendererRssMb(): number {
  const ps = spawnSync('ps', ['-C', 'chromium', '-o', 'rss=,args='], { encoding: 'utf8' });
  const rss = ps.stdout
    .split('\n')
    .filter((l) => l.includes('--type=renderer'))
    .map((l) => Number(l.trim().split(/\s+/)[0]) / 1024);
  return Math.max(0, ...rss);
}

async function measure(events: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-report-'));
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, scenario(events));
  const began = Date.now();
  const run = spawnSync(
    process.execPath,
    ['dist/cli/main.js', 'run', file, '--seed', '1', '--html', '--out', dir],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const page = /page: (.*)$/m.exec(run.stdout)?.[1];
  if (page === undefined) throw new Error(`no page written:\n${run.stdout}\n${run.stderr}`);
  const runS = (Date.now() - began) / 1000;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const t0 = Date.now();
  await tab.goto(pathToFileURL(page).href, { timeout: 600_000 });
  await tab.waitForFunction(() => 'faultlineReport' in globalThis, undefined, { timeout: 600_000 });
  const openMs = Date.now() - t0;
  await tab.waitForFunction(
    () => (globalThis as unknown as { faultlineReport: Handle }).faultlineReport.detailsLoaded,
    undefined,
    { timeout: 600_000 },
  );
  const inPage = await tab.evaluate(() => {
    const h = (globalThis as unknown as { faultlineReport: Handle }).faultlineReport;
    const marks = performance
      .getEntriesByType('mark')
      .filter((e) => e.name.startsWith('faultline:'))
      .map((e) => `${e.name.slice('faultline:'.length)}@${e.startTime.toFixed(0)}`);
    return { ready: h.readyMs, parse: h.parseMs, draw: h.lastDrawMs, marks: marks.join(' ') };
  });
  const zooms = await redraws(tab, 'zoom');
  const pans = await redraws(tab, 'pan');
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heapMb = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
  const rssMb = rendererRssMb();
  await browser.close();
  console.log(
    [
      `events=${events}`,
      `run+write=${runS.toFixed(1)}s`,
      `html=${(statSync(page).size / 2 ** 20).toFixed(1)}MB`,
      `open=${inPage.ready.toFixed(0)}ms (data ${inPage.parse.toFixed(0)}, draw ${inPage.draw.toFixed(0)}; ${openMs} ms as playwright waits)`,
      `zoom=${median(zooms).toFixed(1)}ms (max ${Math.max(...zooms).toFixed(1)})`,
      `pan=${median(pans).toFixed(1)}ms (max ${Math.max(...pans).toFixed(1)})`,
      `heap=${heapMb.toFixed(0)}MB`,
      `marks: ${inPage.marks}`,
      `load=${loadavg()[0]?.toFixed(1)}`,
      `renderer-rss=${rssMb.toFixed(0)}MB`,
    ].join(' '),
  );
}

for (const n of SIZES) await measure(n);
