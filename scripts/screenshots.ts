/**
 * `npm run screenshots`: the README's pictures of report.html, taken the way anyone can retake
 * them. Runs two failing seeds with --html (a Raft bug caught by the linearizability checker, and
 * asynchronous primary/backup losing acknowledged writes), opens each page in the Chromium the
 * browser tests use, clicks its first violation (which moves both views to that moment) and
 * saves the whole page as docs/report-*.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';

const SHOTS = [
  {
    png: 'docs/report-raft.png',
    args: ['scenarios/raft-partition.yaml', '--seed', '28', '--bug', 'raft.stale-read'],
  },
  {
    png: 'docs/report-pb-lost-writes.png',
    args: ['scenarios/lessons/async-loses-writes.yaml', '--seed', '1'],
  },
];

const out = mkdtempSync(join(tmpdir(), 'faultline-screenshots-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
for (const shot of SHOTS) {
  const run = spawnSync(
    process.execPath,
    ['dist/cli/main.js', 'run', ...shot.args, '--html', '--out', out],
    { encoding: 'utf8' },
  );
  const page = /page: (.*)$/m.exec(run.stdout)?.[1];
  if (page === undefined) throw new Error(`no page for ${shot.png}:\n${run.stdout}${run.stderr}`);
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
  await tab.goto(pathToFileURL(page).href);
  // The whole page: the fault timeline, metric charts and details come after the first frame.
  await tab.waitForFunction(
    () =>
      (globalThis as unknown as { faultlineReport?: { detailsLoaded: boolean } }).faultlineReport
        ?.detailsLoaded === true,
  );
  // The first violation with a moment to go to.
  const rows = tab.locator('#findings tr.finding', { hasText: 'violation' });
  for (let i = 0; i < (await rows.count()); i++) {
    const when = await rows.nth(i).locator('td').nth(2).textContent();
    if (when?.trim() === '') continue;
    await rows.nth(i).click();
    break;
  }
  await tab.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await tab.screenshot({ path: shot.png, fullPage: true });
  console.log(`${shot.png} ← ${page}`);
  await tab.close();
}
await browser.close();
