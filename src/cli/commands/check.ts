/**
 * `faultline check <history...>`: is each history linearizable under a model? Reads faultline's
 * own history.json, Porcupine's kv format, Jepsen etcd logs and Jepsen/Maelstrom history.edn,
 * runs the same checker as the `linearizability` checker in scenarios, and prints a verdict per
 * file with, for a violation, the window of operations that cannot be linearized and a sentence.
 * Exit 0 linearizable, 1 not, 2 unknown (a budget ran out), 65 a malformed file.
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { checkLinearizable, type LinCheck } from '../../checkers/linearizability/check.js';
import {
  detectFormat,
  parseEdnHistory,
  parseFaultlineHistory,
  parseJepsenEtcd,
  parsePorcupineKv,
  type ParseResult,
} from '../../checkers/linearizability/formats/index.js';
import { findModel, MODELS } from '../../checkers/linearizability/models/index.js';
import type { LinOp } from '../../checkers/linearizability/types.js';
import { parseDuration } from '../../core/time.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';

const FORMATS = ['auto', 'json', 'porcupine-kv', 'jepsen-etcd', 'edn'] as const;
type Format = (typeof FORMATS)[number];

/** The model each format implies when --model is not given. */
const DEFAULT_MODEL: Record<Exclude<Format, 'auto'>, string> = {
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
  noPartition?: boolean;
  json?: boolean;
}

export const checkBuilder = (y: Argv) =>
  y
    .positional('history', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'history files',
    })
    .option('model', {
      type: 'string',
      describe: `sequential model: ${Object.keys(MODELS).join(', ')} (default: by format)`,
    })
    .option('format', {
      type: 'string',
      choices: FORMATS,
      default: 'auto',
      describe: 'history format (auto sniffs the content)',
    })
    .option('timeout', {
      type: 'string',
      describe: 'give up with unknown (exit 2) after this long per file, e.g. 10s',
    })
    .option('no-partition', {
      type: 'boolean',
      describe: 'check the whole history at once even if the model splits by key',
    })
    .option('json', { type: 'boolean', describe: 'print one JSON document on stdout' })
    .example('$0 check history.json', 'a history written by faultline run')
    .example(
      '$0 check ../shared/conformance/porcupine/kv/c10-bad.txt --model kv',
      "Porcupine's kv format",
    )
    .epilogue(EXIT_CODE_TABLE);

function parse(text: string, format: Exclude<Format, 'auto'>): ParseResult<unknown, unknown> {
  switch (format) {
    case 'json':
      return parseFaultlineHistory(text) as ParseResult<unknown, unknown>;
    case 'porcupine-kv':
      return parsePorcupineKv(text) as ParseResult<unknown, unknown>;
    case 'jepsen-etcd':
      return parseJepsenEtcd(text) as ParseResult<unknown, unknown>;
    case 'edn':
      return parseEdnHistory(text) as ParseResult<unknown, unknown>;
  }
}

export function checkCommand(args: CheckArgs): number {
  let deadlineMs: number | undefined;
  if (args.timeout !== undefined) {
    const us = parseDuration(args.timeout);
    if (us === undefined || us <= 0)
      throw new UserError(
        `--timeout: expected a duration like 10s, got "${args.timeout}"`,
        EXIT.usage,
      );
    deadlineMs = us / 1000;
  }
  if (args.model !== undefined && findModel(args.model) === undefined) {
    throw new UserError(
      `--model: unknown model "${args.model}": expected one of ${Object.keys(MODELS).join(', ')}`,
      EXIT.usage,
    );
  }
  const reports: {
    file: string;
    format: string;
    model: string;
    ops: number;
    ms: number;
    result: LinCheck;
  }[] = [];
  for (const file of args.history) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(
        `${file}: cannot read history file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        EXIT.dataError,
      );
    }
    const format = args.format === 'auto' ? detectFormat(text, file) : args.format;
    if (format === undefined)
      throw new UserError(
        `${file}:1:1: cannot tell the history format; pass --format ${FORMATS.slice(1).join('|')}`,
        EXIT.dataError,
      );
    const parsed = parse(text, format);
    if (!parsed.ok)
      throw new UserError(
        parsed.errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}`).join('\n'),
        EXIT.dataError,
      );
    const modelName = args.model ?? DEFAULT_MODEL[format];
    const model = findModel(modelName)!;
    const started = performance.now();
    const shouldStop =
      deadlineMs === undefined ? undefined : () => performance.now() - started > deadlineMs!;
    const result = checkLinearizable(parsed.ops as LinOp[], model, {
      ...(shouldStop ? { shouldStop } : {}),
      ...(args.noPartition ? { noPartition: true } : {}),
    });
    reports.push({
      file,
      format,
      model: modelName,
      ops: parsed.ops.length,
      ms: performance.now() - started,
      result,
    });
  }
  const code = exitCodeFor(
    reports.map((r) =>
      r.result.verdict === 'ok'
        ? 'valid'
        : r.result.verdict === 'violation'
          ? 'invalid'
          : 'unknown',
    ),
  );
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ files: reports.map((r) => ({ file: r.file, format: r.format, model: r.model, ops: r.ops, ms: Math.round(r.ms * 1000) / 1000, ...r.result })) })}\n`,
    );
    return code;
  }
  const k = c();
  for (const r of reports) {
    const v =
      r.result.verdict === 'ok'
        ? k.green('linearizable')
        : r.result.verdict === 'violation'
          ? k.red.bold('NOT linearizable')
          : k.yellow('unknown');
    process.stdout.write(
      `${r.file}: ${v} (${r.ops} operations, model ${r.model}, ${r.result.partitions.length} partition${r.result.partitions.length === 1 ? '' : 's'}, ${r.ms.toFixed(1)} ms)\n`,
    );
    if (r.result.verdict === 'unknown' && r.result.failing)
      process.stdout.write(
        `  budget ran out in partition ${JSON.stringify(r.result.failing.partition)} after ${r.result.failing.states} states\n`,
      );
    const ev = r.result.evidence;
    if (ev !== undefined) {
      process.stdout.write(
        `  ${ev.sentence}\n  window around it (the culprit and its neighbours; the first ${ev.prefix.length} operations to complete cannot be linearized, the first ${ev.prefix.length - 1} can):\n`,
      );
      for (const o of ev.window)
        process.stdout.write(
          `    #${o.id} ${o.client}: ${o.text}  [${o.call}, ${o.ret ?? '∞'}]${o.line !== undefined ? ` line ${o.line}` : ''}\n`,
        );
      process.stdout.write(
        `  longest linearizable prefix: ${ev.longestLinearization.length} operations${ev.longestLinearization.length > 0 ? `, ending with ${ev.longestLinearization.at(-1)!.text}` : ''}\n`,
      );
    }
  }
  return code;
}
