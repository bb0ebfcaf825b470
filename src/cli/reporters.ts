/**
 * Reports of a sweep for CI, as vitest gives them (`--reporter`, repeatable or comma-separated):
 * `default` is the text table; `junit` is JUnit XML with one test case per scenario and one
 * failure per failing seed, carrying its replay command (to `--output-file`, else stdout);
 * `github` prints GitHub Actions `::error` annotations, one per failing seed, and appends a
 * table to the step summary when `GITHUB_STEP_SUMMARY` names one. The XML is written by hand:
 * three element types and an escaping rule do not need an XML library's dependencies.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import type { Scenario } from '../scenario/index.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import type { SeedSummary } from '../runner/seed-summary.js';
import { isFailing } from '../runner/sweep-seeds.js';
import { nearest } from './flag-errors.js';
import { wallTime } from './format.js';

const NAMES = ['default', 'junit', 'github'] as const;

export interface Reporters {
  /** The text table (`default`). */
  readonly text: boolean;
  readonly junit: boolean;
  readonly github: boolean;
  readonly outputFile?: string;
  /**
   * A document (JSON, or JUnit XML without --output-file) goes to stdout, so text and GitHub
   * annotations go to stderr, where the Actions runner reads workflow commands too.
   */
  readonly stdoutTaken: boolean;
}

/** One scenario's sweep, as the reporters see it. */
export interface ScenarioSweep {
  readonly scenario: Pick<Scenario, 'file' | 'name'>;
  readonly summaries: readonly SeedSummary[];
  readonly wallMs: number;
  readonly replayOf: (seed: number) => string;
  readonly reports: readonly string[];
}

export function reporterOptions<T>(y: Argv<T>) {
  return y
    .option('reporter', {
      type: 'string',
      describe: `how to report a sweep: ${NAMES.join(', ')} (repeatable; default: default)`,
    })
    .option('output-file', {
      type: 'string',
      describe: 'with --reporter junit: write the XML here instead of stdout',
    });
}

export function parseReporters(args: {
  reporter?: string | string[];
  outputFile?: string;
  json?: boolean;
}): Reporters {
  const given = [args.reporter ?? []].flat().flatMap((r) => String(r).split(','));
  const names = given.length === 0 ? ['default'] : given.map((r) => r.trim());
  for (const n of names) {
    if (!(NAMES as readonly string[]).includes(n)) {
      const hint = nearest(n, NAMES);
      const maybe = hint === undefined ? '' : ` (did you mean ${hint}?)`;
      throw new UserError(
        `--reporter: unknown reporter "${n}": expected ${NAMES.join(', ')}${maybe}`,
        EXIT.usage,
      );
    }
  }
  const junit = names.includes('junit');
  if (args.outputFile !== undefined && !junit)
    throw new UserError('--output-file: goes with --reporter junit', EXIT.usage);
  const xmlOnStdout = junit && args.outputFile === undefined;
  if (xmlOnStdout && args.json === true)
    throw new UserError(
      '--reporter junit: --json already prints on stdout; give the XML an --output-file',
      EXIT.usage,
    );
  return {
    text: names.includes('default'),
    junit,
    github: names.includes('github'),
    stdoutTaken: xmlOnStdout || args.json === true,
    ...(args.outputFile !== undefined ? { outputFile: args.outputFile } : {}),
  };
}

export function writeCiReports(r: Reporters, sweeps: readonly ScenarioSweep[]): void {
  if (r.junit) {
    const xml = junitXml(sweeps);
    if (r.outputFile === undefined) process.stdout.write(xml);
    else writeAtomic(r.outputFile, xml);
  }
  if (r.github) {
    const out = r.stdoutTaken ? process.stderr : process.stdout;
    for (const s of sweeps) for (const line of githubAnnotations(s)) out.write(line);
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary !== undefined && summary !== '') appendFileSync(summary, stepSummary(sweeps));
  }
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const xmlText = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no way to write most control characters; ANSI colors never belong here.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters XML forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** What failed on a seed, in one line: each check that did not pass, with its sentence. */
const why = (s: SeedSummary): string =>
  s.checks
    .filter((x) => x.verdict !== 'ok')
    .map((x) => `${x.checker}: ${x.summary}`)
    .join('; ') ||
  s.error ||
  s.verdict;

const rangeOf = (s: ScenarioSweep): string =>
  `${s.summaries[0]?.seed ?? 0}..${s.summaries.at(-1)?.seed ?? 0}`;

function junitCase(s: ScenarioSweep): string {
  const failing = s.summaries.filter(isFailing);
  const name = `${s.scenario.name} (seeds ${rangeOf(s)})`;
  const open =
    `    <testcase classname="faultline" name="${xmlText(name)}" ` +
    `file="${xmlText(s.scenario.file)}" time="${seconds(s.wallMs)}"`;
  if (failing.length === 0) return `${open}/>\n`;
  const failures = failing.map((f) => {
    const report = s.reports.find((p) => basename(dirname(p)) === String(f.seed));
    const body = `replay: ${s.replayOf(f.seed)}${report ? `\nreport: ${report}` : ''}`;
    const message = xmlText(`seed ${f.seed} ${f.verdict}: ${why(f)}`);
    return `      <failure type="${f.verdict}" message="${message}">${xmlText(body)}</failure>\n`;
  });
  return `${open}>\n${failures.join('')}    </testcase>\n`;
}

function junitXml(sweeps: readonly ScenarioSweep[]): string {
  const failed = sweeps.filter((s) => s.summaries.some(isFailing)).length;
  const time = seconds(sweeps.reduce((t, s) => t + s.wallMs, 0));
  const counts = `tests="${sweeps.length}" failures="${failed}" errors="0" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<testsuites name="faultline" ${counts}>\n`,
    `  <testsuite name="faultline" ${counts}>\n`,
    ...sweeps.map(junitCase),
    '  </testsuite>\n',
    '</testsuites>\n',
  ].join('');
}

/** GitHub's escaping of a workflow command's message and of its properties. */
const ghData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub shows at most 10 error annotations of a step; the summary has the rest. */
const ANNOTATIONS_MAX = 10;

function githubAnnotations(s: ScenarioSweep): string[] {
  const failing = s.summaries.filter(isFailing);
  return failing.slice(0, ANNOTATIONS_MAX).map((f) => {
    const title = ghProperty(`faultline: ${s.scenario.name} seed ${f.seed} ${f.verdict}`);
    const message = ghData(`${why(f)}\nreplay: ${s.replayOf(f.seed)}`);
    return `::error file=${ghProperty(s.scenario.file)},title=${title}::${message}\n`;
  });
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function stepSummary(sweeps: readonly ScenarioSweep[]): string {
  const lines = [
    '## faultline',
    '',
    '| scenario | seeds | valid | invalid | unknown | lowest failing seed | wall time |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of sweeps) {
    const n = (v: string) => s.summaries.filter((x) => x.verdict === v).length;
    const low = s.summaries.find(isFailing)?.seed;
    const cells = [`\`${mdCell(s.scenario.file)}\``, rangeOf(s), n('valid'), n('invalid')];
    cells.push(n('unknown'), low ?? '–', wallTime(s.wallMs));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const s of sweeps) {
    const low = s.summaries.find(isFailing);
    if (low !== undefined)
      lines.push(
        '',
        `${s.scenario.name}: ${mdCell(why(low))}`,
        '',
        '```sh',
        s.replayOf(low.seed),
        '```',
      );
  }
  return `${lines.join('\n')}\n\n`;
}
