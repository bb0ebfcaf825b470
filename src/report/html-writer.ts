/**
 * Writes report.html: one self-contained file with the page's data embedded (compact and
 * compressed: embed-data.ts) and its one script bundle (src/report/page, bundled by esbuild at
 * build time into dist/report/page.js) inlined, so it opens from disk with no network request.
 * The file is written to a temporary name and renamed, like every report file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { replayCommand, type RunResult, shellWord } from '../run/run-result.js';
import { buildReportModel } from './report-data.js';
import { embedData } from './embed-data.js';
import type { ReportModel } from './report-model.js';
import { PAGE_CSS } from './page-style.js';

/** dist/report/page.js beside the built writer, or, run from src/ (tests), under dist/. */
function pageBundle(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'page.js'), join(here, '../../dist/report/page.js')];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined)
    throw new Error(`the report page bundle is missing (${candidates[0]}): run npm run build`);
  return readFileSync(found, 'utf8');
}

function reportHtml(model: ReportModel): string {
  const title = `faultline: ${model.scenario} seed ${model.seed} (${model.verdict})`;
  const data = embedData(model);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}</style></head>`,
    '<body><div id="app"></div>',
    `<script type="application/gzip" id="faultline-data">${data.json}</script>`,
    `<script type="application/gzip" id="faultline-columns">${data.columns}</script>`,
    `<script>${pageBundle().replace(/<\/script/gi, '<\\/script')}</script>`,
    `<script type="application/gzip" id="faultline-details">${data.details}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function writeReportHtml(path: string, model: ReportModel): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, reportHtml(model));
  renameSync(tmp, path);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Builds and writes report.html beside a result.json (its history and trace are read from the
 * same folder); returns the page's path.
 */
export function writeHtmlReport(resultPath: string, result: RunResult, cli: string): string {
  const dir = dirname(resultPath);
  const model = buildReportModel({
    dir,
    result,
    replay: replayCommand(result, [], cli),
    shrink: `${cli} shrink ${shellWord(resultPath)}`,
  });
  const path = join(dir, 'report.html');
  writeReportHtml(path, model);
  return path;
}
