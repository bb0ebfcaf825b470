/**
 * `faultline check --model list-append <history...>`: is each transactional history
 * serializable? Reads Elle's list-append histories (Jepsen EDN, or JSON as elle-cli and
 * Maelstrom write them), runs the serializability checker (src/checkers/serializability) and
 * prints a verdict per file with, for each anomaly, the transactions and Elle-style sentences.
 *
 * Exit 0 serializable, 1 an anomaly found, 2 no transactions to judge, 64 a flag that does not
 * apply to transactions, 65 a malformed file (the first problem, at its line and column).
 */
import type { Anomaly } from '../../checkers/serializability/anomaly.js';
import { checkSerializable, type SerialCheck } from '../../checkers/serializability/check.js';
import { CYCLES_REPORTED_MAX } from '../../checkers/serializability/cycles.js';
import {
  detectTxnFormat,
  loadTxnHistory,
  type TxnFormat,
} from '../../checkers/serializability/formats/load-txn-history.js';
import { txnText } from '../../checkers/serializability/txn.js';
import { formatDuration } from '../../core/time.js';
import { EXIT, exitCodeFor, UserError } from '../../runner/exit-codes.js';
import { c } from '../colors.js';
import { readHistoryText } from '../history-file.js';

/** The models `check` hands to the serializability checker instead of the linearizability one. */
export const TXN_MODELS = ['list-append'] as const;

/** Anomalies printed at most per file; the rest are counted (all are in --json). */
const ANOMALIES_PRINTED_MAX = 10;

export interface TxnCheckArgs {
  readonly history: readonly string[];
  readonly model?: string;
  readonly format: string;
  readonly timeout?: string;
  readonly initial?: string;
  readonly independent?: boolean;
  readonly export?: string;
  readonly json?: boolean;
}

interface Report {
  readonly file: string;
  readonly format: TxnFormat;
  readonly ms: number;
  readonly result: SerialCheck;
}

export function checkTxnCommand(args: TxnCheckArgs): number {
  refuseFlags(args);
  const reports: Report[] = [];
  for (const file of args.history) {
    const started = performance.now();
    const text = readHistoryText(file);
    const format =
      args.format === 'auto' ? detectTxnFormat(text, file) : (args.format as TxnFormat);
    const loaded = loadTxnHistory(text, format);
    if (!loaded.ok) {
      const e = loaded.errors[0]!;
      const more =
        loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more problems)` : '';
      throw new UserError(`${file}:${e.line}:${e.column}: ${e.message}${more}`, EXIT.dataError);
    }
    const result = checkSerializable(loaded.txns);
    reports.push({ file, format, ms: performance.now() - started, result });
  }
  const code = exitCodeFor(
    reports.map((r) =>
      r.result.txns === 0 ? 'unknown' : r.result.verdict === 'ok' ? 'valid' : 'invalid',
    ),
  );
  if (args.json) printJson(reports);
  else for (const r of reports) printReport(r);
  return code;
}

/** Flags of the linearizability check that mean nothing for transactions: exit 64. */
function refuseFlags(args: TxnCheckArgs): void {
  const given = (['timeout', 'initial', 'independent', 'export'] as const).filter(
    (f) => args[f] !== undefined,
  );
  if (given.length > 0)
    throw new UserError(
      `--${given[0]}: does not apply to --model ${args.model} (the serializability checker runs in time linear in the history)`,
      EXIT.usage,
    );
  if (args.format !== 'auto' && args.format !== 'edn' && args.format !== 'json')
    throw new UserError(
      `--format: --model ${args.model} reads edn or json histories, not ${args.format}`,
      EXIT.usage,
    );
}

const anomalyJson = (a: Anomaly) => ({
  type: a.type,
  txns: a.txns.map((t) => ({
    index: t.index,
    process: t.process,
    outcome: t.outcome,
    line: t.line,
    text: txnText(t),
  })),
  sentences: a.sentences,
  ...(a.steps
    ? {
        steps: a.steps.map((s) => ({
          type: s.type,
          from: s.from.index,
          to: s.to.index,
          key: s.key,
        })),
      }
    : {}),
});

function printJson(reports: readonly Report[]): void {
  const files = reports.map((r) => ({
    file: r.file,
    format: r.format,
    model: 'list-append',
    ms: Math.round(r.ms * 1000) / 1000,
    verdict: r.result.txns === 0 ? 'unknown' : r.result.verdict,
    txns: r.result.txns,
    committed: r.result.committed,
    edges: r.result.edges,
    anomalyTypes: r.result.anomalyTypes,
    anomalies: r.result.anomalies.map(anomalyJson),
    cyclesLeftOut: r.result.cyclesLeftOut,
  }));
  process.stdout.write(`${JSON.stringify({ files })}\n`);
}

function printReport(r: Report): void {
  const k = c();
  const res = r.result;
  if (res.txns === 0) {
    process.stdout.write(`${r.file}: ${k.yellow('unknown')}: the history has no transactions\n`);
    return;
  }
  const v = res.verdict === 'ok' ? k.green('serializable') : k.red.bold('NOT serializable');
  const types = res.anomalyTypes.length > 0 ? `: ${res.anomalyTypes.join(', ')}` : '';
  process.stdout.write(
    `${r.file}: ${v} (${res.txns} transactions, ${res.committed} committed, model list-append, ${res.edges} dependencies, ${formatDuration(Math.round(r.ms * 1000))})${types}\n`,
  );
  for (const a of res.anomalies.slice(0, ANOMALIES_PRINTED_MAX)) {
    process.stdout.write(`  ${k.bold(a.type)}\n    Let:\n`);
    for (const t of a.txns)
      process.stdout.write(`      ${txnText(t)}${t.line !== undefined ? ` line ${t.line}` : ''}\n`);
    process.stdout.write('    Then:\n');
    for (const s of a.sentences) process.stdout.write(`      - ${s}\n`);
  }
  if (res.anomalies.length > ANOMALIES_PRINTED_MAX)
    process.stdout.write(
      `  … and ${res.anomalies.length - ANOMALIES_PRINTED_MAX} more anomalies (all of them with --json)\n`,
    );
  if (res.cyclesLeftOut > 0)
    process.stdout.write(
      `  ${res.cyclesLeftOut} more components with cycles left unexplained (at most ${CYCLES_REPORTED_MAX} are)\n`,
    );
}
