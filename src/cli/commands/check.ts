/**
 * `faultline check <history...>`: is each history linearizable under a model? Reads faultline's
 * own history.json, Porcupine's kv format, Jepsen etcd logs and Jepsen/Knossos/Maelstrom EDN,
 * runs the same checker as the `linearizability` checker in scenarios, and prints a verdict per
 * file with, for a violation, the window of operations that cannot be linearized and a sentence.
 * `--export edn` writes the history as Jepsen EDN instead of checking it. `--model list-append`
 * checks a history of transactions for serializability instead (check-serializable.ts).
 *
 * Exit 0 linearizable, 1 not, 2 unknown (a budget ran out, or no operations to judge), 64 bad
 * flags, 65 a malformed file or one whose operations the model does not understand (the message
 * names the operations and the models that would understand them all).
 */
import type { Argv } from 'yargs';
import {
  type CHECK_EVIDENCE,
  type CHECK_EXPORTS,
  CHECK_FLAGS,
  CHECK_FORMATS,
} from '../check-flags.js';
import { checkLinearizable, type LinCheck } from '../../checkers/linearizability/check.js';
import { detectFormat, type HistoryFormat } from '../../checkers/linearizability/formats/index.js';
import { exportEdn } from '../../checkers/linearizability/formats/edn-export.js';
import { jepsenCodecFor } from '../../checkers/linearizability/formats/jepsen/index.js';
import { initialStateFor } from '../../checkers/linearizability/formats/jepsen/initial.js';
import {
  type LoadedHistory,
  loadHistory,
  type ModelChoice,
} from '../../checkers/linearizability/formats/load-history.js';
import {
  createModel,
  type InitialStates,
  MODELS,
  MODELS_WITH_INITIAL,
} from '../../checkers/linearizability/models/index.js';
import type { LinOp } from '../../checkers/linearizability/types.js';
import { formatDuration, parseDuration } from '../../core/time.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { checkTxnCommand, TXN_MODELS } from './check-serializable.js';
import { readHistoryText } from '../history-file.js';

const FORMATS = CHECK_FORMATS;
type Format = (typeof FORMATS)[number];
/** Window operations printed at most; the rest are counted (all are in --json). */
const WINDOW_PRINTED_MAX = 30;

/** The model each format implies when --model is not given. */
const DEFAULT_MODEL: Record<HistoryFormat, string> = {
  json: 'kv-list',
  'porcupine-kv': 'kv',
  'jepsen-etcd': 'cas-register',
  edn: 'cas-register',
};

export interface CheckArgs {
  history: string[];
  model?: string;
  format: Format;
  timeout?: string;
  initial?: string;
  independent?: boolean;
  export?: (typeof CHECK_EXPORTS)[number];
  evidence?: (typeof CHECK_EVIDENCE)[number];
  partition: boolean;
  json?: boolean;
}

/** Each flag's help line; its type, choices and default come from `CHECK_FLAGS`. */
const DESCRIBE: Record<keyof typeof CHECK_FLAGS, string> = {
  model: `sequential model: ${Object.keys(MODELS).join(', ')} (default: by format); or ${TXN_MODELS.join(', ')}: transactions, checked for serializability`,
  format: 'history format (auto sniffs the content)',
  timeout:
    'give up with unknown (exit 2) after this long per file, e.g. 10s: reading, search and evidence together (a violation found in time gets the evidence there is time for)',
  evidence:
    'for a violation: default narrows the prefix and the window cheaply (the window within a factor of two), full narrows the window to the smallest',
  initial:
    "initial state in EDN, as Knossos's models take it: 0 for cas-register or register (Knossos semantics: a read of nil then matches anything), {:x 0 :y 0} for multi-register",
  independent: 'jepsen.independent history: each :value is [key value], one model per key',
  export: 'write the history in this format on stdout instead of checking it',
  partition: 'split the history by key where the model allows; --no-partition checks it whole',
  json: 'print one JSON document on stdout',
};

export const checkBuilder = (y: Argv) => {
  let b = y.positional('history', {
    type: 'string',
    array: true,
    demandOption: true,
    describe: 'history files',
  });
  for (const [flag, spec] of Object.entries(CHECK_FLAGS))
    b = b.option(flag, { ...spec, describe: DESCRIBE[flag as keyof typeof CHECK_FLAGS] });
  return b
    .example('$0 check history.json', 'a history written by faultline run')
    .example(
      '$0 check ../shared/conformance/porcupine/kv/c10-bad.txt --model kv',
      "Porcupine's kv format",
    )
    .example('$0 check h.edn --model cas-register --initial 0', 'Knossos semantics')
    .example('$0 check h.json --export edn', 'as Jepsen EDN')
    .example('$0 check history.edn --model list-append', "Elle's list-append: serializable?")
    .epilogue(EXIT_CODE_TABLE);
};

/** Wall-clock milliseconds as every time is printed (`850us`, `2.187ms`), to the microsecond. */
const tookText = (ms: number): string => formatDuration(Math.round(ms * 1000));

interface Report {
  file: string;
  format: string;
  model: string;
  ops: number;
  ms: number;
  result: LinCheck | undefined;
}

/** --timeout in milliseconds, or undefined. */
function deadlineOf(timeout: string | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  const us = parseDuration(timeout);
  if (us === undefined || us <= 0)
    throw new UserError(`--timeout: expected a duration like 10s, got "${timeout}"`, EXIT.usage);
  return us / 1000;
}

/** The model for a format: --model or the format's default, with --initial and --independent. */
function chooseModel(args: CheckArgs, format: HistoryFormat): ModelChoice & { label: string } {
  const name = args.model ?? DEFAULT_MODEL[format];
  let initial: InitialStates[keyof InitialStates] | undefined;
  if (args.initial !== undefined) {
    const r = initialStateFor(name, args.initial);
    if ('error' in r) throw new UserError(`--initial: ${r.error}`, EXIT.usage);
    initial = r.initial;
  }
  const independent = args.independent === true;
  const model = createModel(name, {
    ...(initial !== undefined ? { initial } : {}),
    independent,
  })!;
  const label = [
    name,
    ...(args.initial !== undefined ? [`--initial ${args.initial}`] : []),
    ...(independent ? ['--independent'] : []),
  ].join(' ');
  return { name, model, independent, label };
}

/** For a model that starts from a state the history does not say (Knossos's registers). */
function initialHint(model: string): string {
  const name = model.split(' ')[0] as string;
  if (!(MODELS_WITH_INITIAL as readonly string[]).includes(name)) return '';
  return name === 'multi-register'
    ? ", and --initial '{:x 0 ...}' unless every register starts at nil"
    : ', and --initial V unless the register starts at nil';
}

/** Exit 65 with each problem at its place and, for a misfit, the models that would fit. */
function refuse(file: string, loaded: Exclude<LoadedHistory, { ok: true }>, label: string): never {
  const lines = loaded.problems.map((p) => {
    const at =
      p.line === 0 ? file : `${file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
    return `${at}: ${p.message}`;
  });
  if (loaded.kind === 'misfit') {
    const fits =
      loaded.fits.length === 0
        ? 'no model fits every operation'
        : `models that fit every operation: ${loaded.fits.join(', ')} (pass --model ${loaded.fits[0]}${initialHint(loaded.fits[0] as string)})`;
    lines.push(`${file}: the history does not fit model ${label}; ${fits}`);
  }
  throw new UserError(lines.join('\n'), EXIT.dataError);
}

/** Reads, detects and loads one history for its model; exit 65 on any problem. */
function load(file: string, args: CheckArgs) {
  const text = readHistoryText(file);
  const format = args.format === 'auto' ? detectFormat(text, file) : args.format;
  if (format === undefined)
    throw new UserError(
      `${file}:1:1: cannot tell the history format; pass --format ${FORMATS.slice(1).join('|')}`,
      EXIT.dataError,
    );
  const choice = chooseModel(args, format);
  const loaded = loadHistory(text, format, choice);
  if (!loaded.ok) refuse(file, loaded, choice.label);
  return { format, choice, ops: loaded.ops };
}

function exportCommand(args: CheckArgs): number {
  if (args.history.length !== 1)
    throw new UserError(
      `--export: expected one history file, got ${args.history.length}`,
      EXIT.usage,
    );
  const file = args.history[0] as string;
  const { format, choice, ops } = load(file, args);
  const codec = jepsenCodecFor(choice.name, choice.independent)!;
  const comment = `${file} (${format}), exported by faultline check --export edn\nmodel: ${choice.label}; ${ops.length} operations`;
  process.stdout.write(exportEdn(ops, codec, comment));
  return EXIT.valid;
}

export function checkCommand(args: CheckArgs): number {
  if ((TXN_MODELS as readonly (string | undefined)[]).includes(args.model))
    return checkTxnCommand(args);
  const deadlineMs = deadlineOf(args.timeout);
  if (args.model !== undefined && createModel(args.model) === undefined) {
    throw new UserError(
      `--model: unknown model "${args.model}": expected one of ${Object.keys(MODELS).join(', ')}`,
      EXIT.usage,
    );
  }
  if (args.export !== undefined) return exportCommand(args);
  const reports: Report[] = [];
  for (const file of args.history) {
    // The deadline covers the whole check of a file: reading, search and evidence.
    const started = performance.now();
    const shouldStop =
      deadlineMs === undefined ? undefined : () => performance.now() - started > deadlineMs;
    const { format, choice, ops } = load(file, args);
    // Nothing to judge is not "linearizable": exit 2, with the reason.
    const result =
      ops.length === 0
        ? undefined
        : checkLinearizable(ops as LinOp[], choice.model, {
            evidence: args.evidence ?? 'default',
            ...(shouldStop ? { shouldStop } : {}),
            ...(args.partition ? {} : { noPartition: true }),
          });
    reports.push({
      file,
      format,
      model: choice.label,
      ops: ops.length,
      ms: performance.now() - started,
      result,
    });
  }
  const code = exitCodeFor(
    reports.map((r) =>
      r.result?.verdict === 'ok'
        ? 'valid'
        : r.result?.verdict === 'violation'
          ? 'invalid'
          : 'unknown',
    ),
  );
  if (args.json) printJson(reports);
  else for (const r of reports) printReport(r);
  return code;
}

function printJson(reports: readonly Report[]): void {
  const files = reports.map((r) => ({
    file: r.file,
    format: r.format,
    model: r.model,
    ops: r.ops,
    ms: Math.round(r.ms * 1000) / 1000,
    ...(r.result ?? { verdict: 'unknown', reason: 'no operations', partitions: [] }),
  }));
  process.stdout.write(`${JSON.stringify({ files })}\n`);
}

function printReport(r: Report): void {
  const k = c();
  if (r.result === undefined) {
    process.stdout.write(
      `${r.file}: ${k.yellow('unknown')}: nothing could be judged: the history has no operations (none recorded, or every one failed and so did not happen)\n`,
    );
    return;
  }
  const v =
    r.result.verdict === 'ok'
      ? k.green('linearizable')
      : r.result.verdict === 'violation'
        ? k.red.bold('NOT linearizable')
        : k.yellow('unknown');
  process.stdout.write(
    `${r.file}: ${v} (${r.ops} operations, model ${r.model}, ${r.result.partitions.length} partition${r.result.partitions.length === 1 ? '' : 's'}, ${tookText(r.ms)})\n`,
  );
  if (r.result.verdict === 'unknown' && r.result.failing)
    process.stdout.write(
      `  budget ran out in partition ${JSON.stringify(r.result.failing.partition)} after ${r.result.failing.states} states\n`,
    );
  const ev = r.result.evidence;
  if (ev === undefined) return;
  const prefix = ev.prefixMinimal
    ? `the first ${ev.prefix.length} operations to complete cannot be linearized, the first ${ev.prefix.length - 1} can`
    : `the first ${ev.prefix.length} operations to complete cannot be linearized`;
  process.stdout.write(
    `  ${ev.sentence}\n  window of ${ev.window.length} (the culprit and the operations that completed just before it; ${prefix}):\n`,
  );
  for (const o of ev.window.slice(0, WINDOW_PRINTED_MAX))
    process.stdout.write(
      `    #${o.id} ${o.client}: ${o.text}  [${o.call}, ${o.ret ?? '∞'}]${o.line !== undefined ? ` line ${o.line}` : ''}\n`,
    );
  if (ev.window.length > WINDOW_PRINTED_MAX)
    process.stdout.write(
      `    … and ${ev.window.length - WINDOW_PRINTED_MAX} more (all of them with --json)\n`,
    );
  for (const o of ev.omitted) process.stdout.write(`  left out: ${o}\n`);
  process.stdout.write(
    `  longest linearizable prefix: ${ev.longestLinearization.length} operations${ev.longestLinearization.length > 0 ? `, ending with ${ev.longestLinearization.at(-1)!.text}` : ''}\n`,
  );
}
