/**
 * `faultline shrink <result.json>`: the smallest scenario that still fails the same checker at
 * the same seed (src/fuzz/shrink.ts), written as a YAML scenario file beside the regressions,
 * never over an existing file. The file keeps the original's comments and field order, pins the
 * seed, and opens with a header saying where it came from and how to run it. The scenario is
 * found wherever the result is opened from (cli/result-file.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  shrinkFailure,
  ShrinkError,
  shrinkSummary,
  yamlText,
  type ShrinkOutcome,
} from '../../fuzz/shrink.js';
import { type RunResult, shellWord } from '../../run/run-result.js';
import { isProtocolModulePath, safeScenarioName } from '../../scenario/index.js';
import { c } from '../colors.js';
import { cliInvocation } from '../invocation.js';
import { EXIT, EXIT_CODE_TABLE, UserError } from '../../runner/exit-codes.js';
import { loadProtocolModules } from '../../runner/protocol-module.js';
import { readOptionFlags } from '../../runner/load-scenario.js';
import { textWithOverrides } from '../../options/option-override.js';
import { readResult, scenarioOfResult } from '../result-file.js';

export const SHRINK_RUNS_DEFAULT = 400;
export const REGRESSIONS_DIR = 'scenarios/regressions';

export interface ShrinkArgs {
  result: string;
  outDir: string;
  runs: number;
}

export const shrinkBuilder = (y: Argv) =>
  y
    .positional('result', {
      type: 'string',
      demandOption: true,
      describe: 'a result.json of a failing seed (written by `run` or `fuzz`)',
    })
    .option('out-dir', {
      type: 'string',
      default: REGRESSIONS_DIR,
      describe: 'where the shrunk scenario file is written',
    })
    .option('runs', {
      type: 'number',
      default: SHRINK_RUNS_DEFAULT,
      describe: 'at most this many simulations while shrinking',
    })
    .example(
      '$0 shrink reports/pb-async-crash/3/result.json',
      'write scenarios/regressions/pb-async-crash-seed3.yaml',
    )
    .epilogue(EXIT_CODE_TABLE);

export interface ShrinkWritten {
  readonly file: string;
  readonly outcome: ShrinkOutcome;
  /** The command that runs the written file and fails, as it runs from the working directory. */
  readonly run: string;
  readonly lines: readonly string[];
}

export function checkRuns(runs: number): void {
  if (!Number.isInteger(runs) || runs < 1)
    throw new UserError('--runs: expected a positive integer', EXIT.usage);
}

export async function shrinkCommand(args: ShrinkArgs): Promise<number> {
  checkRuns(args.runs);
  const recorded = readResult(args.result);
  const written = await shrinkAndWrite(recorded, args.result, args);
  for (const line of written.lines) process.stdout.write(`${line}\n`);
  // The shrunk file was written: the command did its job (the file itself fails, exit 1, when run).
  return EXIT.valid;
}

/** Shrinks a failing result and writes the scenario file; `resultPath` names it in the header. */
export async function shrinkAndWrite(
  recorded: RunResult,
  resultPath: string,
  o: { outDir: string; runs: number },
): Promise<ShrinkWritten> {
  const violated = recorded.checks.find((x) => x.verdict === 'violation');
  if (violated === undefined)
    throw new UserError(
      `${resultPath}: seed ${recorded.seed} did not fail any checker (verdict ${recorded.verdict}): nothing to shrink`,
      EXIT.dataError,
    );
  const file = scenarioOfResult(resultPath, recorded);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `${file}: cannot read the scenario the result names (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      EXIT.dataError,
    );
  }
  // A run with --option shrinks into a file that sets those options itself.
  text = textWithOverrides(text, readOptionFlags(recorded.options ?? []));
  const swarm = recorded.swarm !== undefined;
  let outcome: ShrinkOutcome;
  try {
    outcome = shrinkFailure({
      text,
      file,
      protocolModules: await loadProtocolModules(text, file),
      seed: recorded.seed,
      bugs: recorded.bugs,
      swarm,
      faults: recorded.faults,
      checker: violated.checker,
      runsMax: o.runs,
    });
  } catch (e) {
    if (e instanceof ShrinkError)
      throw new UserError(`${resultPath}: ${e.message}`, EXIT.dataError);
    throw e;
  }
  const doc = outcome.document;
  // The name comes from a file the user may have edited: it must stay a plain file name.
  const name = `${safeScenarioName(recorded.scenario.name)}-seed${recorded.seed}`;
  mkdirSync(o.outDir, { recursive: true });
  const out = freePath(o.outDir, name);
  // A protocol module named relative to the original file must still be found from the new one.
  const protocol = doc.get('protocol');
  if (typeof protocol === 'string' && isProtocolModulePath(protocol)) {
    const moved = relative(dirname(out), resolve(dirname(file), protocol));
    doc.set('protocol', moved.startsWith('.') ? moved : `./${moved}`);
  }
  doc.set('name', name);
  doc.set('seed', recorded.seed);
  const bugFlags = recorded.bugs.map((b) => ` --bug ${shellWord(b)}`).join('');
  // A materialized schedule has no random nemeses left for swarm testing to choose among.
  const flags = `${bugFlags}${swarm && outcome.mode === 'phases' ? ' --swarm' : ''}`;
  // The file's header says how to run it anywhere; the line printed here runs as printed.
  const run = `faultline run ${out}${flags}`;
  const runHere = `${cliInvocation()} run ${shellWord(out)}${flags}`;
  const summary = shrinkSummary(outcome);
  const header = [
    `Shrunk by faultline from a failure of the ${violated.checker} checker: ${violated.summary}`,
    `original: ${file} seed ${recorded.seed}, bugs: ${recorded.bugs.length > 0 ? recorded.bugs.join(', ') : 'none'}${(recorded.options ?? []).map((o) => `, --option ${o}`).join('')}${swarm ? ', swarm' : ''}`,
    `shrink command: faultline shrink ${resultPath} --out-dir ${o.outDir} --runs ${o.runs}`,
    `reproduce (the seed is pinned below): ${run}`,
    ...summary.slice(
      0,
      summary.indexOf(outcome.mode === 'schedule' ? 'schedule:' : 'faults fired:'),
    ),
  ];
  doc.commentBefore = [
    ...(doc.commentBefore ? [doc.commentBefore] : []),
    ...header.map((l) => ` ${l}`),
  ].join('\n');
  writeExclusive(out, yamlText(doc));
  const k = c();
  return {
    file: out,
    outcome,
    run: runHere,
    lines: [
      `${k.bold('shrunk:')} ${out} (seed ${recorded.seed}, ${violated.checker})`,
      ...summary.map((l) => `  ${l}`),
      `${k.bold('run it:')} ${runHere}`,
    ],
  };
}

/** `<dir>/<name>.yaml`, or `<name>-2.yaml`, `-3`, … when taken: never overwrite a file. */
function freePath(dir: string, name: string): string {
  for (let i = 1; ; i++) {
    const p = join(dir, `${name}${i === 1 ? '' : `-${i}`}.yaml`);
    if (!existsSync(p)) return p;
  }
}

function writeExclusive(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (e) {
    throw new UserError(
      `${path}: cannot write the shrunk scenario (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      EXIT.dataError,
    );
  }
}
