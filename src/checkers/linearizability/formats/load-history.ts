/**
 * A history file read for one model, as `faultline check` needs it: the operations, or what is
 * wrong with the file. Two kinds of wrong are told apart. A malformed file (bad EDN, JSON or log
 * syntax, an unpaired completion) is reported as the importer found it. A well-formed file whose
 * operations the model does not understand (a kv history given to `--model register`, a mutex
 * history given to the default `cas-register`) is reported operation by operation, with the
 * models that would understand every operation, so the user learns which `--model` to pass
 * instead of reading a verdict on a history the model misread.
 *
 * Jepsen EDN (formats `edn` and `porcupine-kv`) is read once into Jepsen operations and decoded
 * by the model's codec (jepsen/); the other formats have one meaning of their own, and each
 * operation is put to the model's `validate`.
 */
import { MODEL_NAMES, findModel } from '../models/index.js';
import type { AnyModel } from '../types.js';
import type { LinOp } from '../types.js';
import type { HistoryFormat } from './detect-format.js';
import { parseFaultlineHistory } from './faultline-json.js';
import { decodeJepsen } from './jepsen/codec.js';
import { CODEC_MODEL_NAMES, jepsenCodecFor } from './jepsen/index.js';
import { type JepsenOp, type JepsenRead, readJepsenHistory } from './jepsen-history.js';
import { parseJepsenEtcd } from './jepsen-etcd.js';
import {
  guard,
  type LineIndex,
  PARSE_ERRORS_MAX,
  type ParseError,
  type ParseResult,
} from './parse-result.js';

/** A problem with a place: line and column when known (1-based), line 0 when not. */
interface HistoryProblem {
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

export type LoadedHistory =
  | { readonly ok: true; readonly ops: LinOp[] }
  | { readonly ok: false; readonly kind: 'malformed'; readonly problems: readonly HistoryProblem[] }
  | {
      readonly ok: false;
      readonly kind: 'misfit';
      readonly problems: readonly HistoryProblem[];
      /** Models (with `--independent` where that is needed) that understand every operation. */
      readonly fits: readonly string[];
    };

export interface ModelChoice {
  readonly name: string;
  readonly model: AnyModel;
  readonly independent: boolean;
}

const isEdn = (format: HistoryFormat) => format === 'edn' || format === 'porcupine-kv';

export function loadHistory(
  text: string,
  format: HistoryFormat,
  choice: ModelChoice,
): LoadedHistory {
  if (isEdn(format)) return loadEdn(text, choice);
  // Both importers guard themselves: they never throw.
  const parsed: ParseResult<unknown, unknown> =
    format === 'json' ? parseFaultlineHistory(text) : parseJepsenEtcd(text);
  if (!parsed.ok) return malformed(parsed.errors);
  const ops = parsed.ops as LinOp[];
  const problems = misfits(ops, choice.model);
  if (problems.length === 0) return { ok: true, ops };
  const fits = MODEL_NAMES.filter((name) => misfits(ops, findModel(name)!, 1).length === 0);
  return { ok: false, kind: 'misfit', problems, fits };
}

function malformed(errors: readonly ParseError[]): LoadedHistory {
  return { ok: false, kind: 'malformed', problems: errors };
}

/** The operations `model` does not understand, at most `max` of them. */
function misfits(ops: readonly LinOp[], model: AnyModel, max = PARSE_ERRORS_MAX): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  if (model.validate === undefined) return problems;
  for (const op of ops) {
    const why = model.validate(op.input, op.output, op.unknown);
    if (why === undefined) continue;
    problems.push({
      line: op.line ?? 0,
      message: `operation #${op.id} ${describeInput(op.input)} does not fit model ${model.name}: ${why}`,
    });
    if (problems.length >= max) break;
  }
  return problems;
}

/** An input the model cannot describe (it does not understand it), as JSON. */
function describeInput(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function loadEdn(text: string, choice: ModelChoice): LoadedHistory {
  const read = readSafely(text);
  if (!read.ok) return malformed(read.errors);
  const { ops, index } = read;
  const decoded = decodeWith(ops, text, index, choice.name, choice.independent);
  if (decoded.ok) return { ok: true, ops: decoded.ops };
  return { ok: false, kind: 'misfit', problems: decoded.errors, fits: ednFits(ops, text, index) };
}

/** `readJepsenHistory`, with a bug in it reported at line 1 rather than thrown (as `guard` does). */
function readSafely(text: string): JepsenRead {
  try {
    return readJepsenHistory(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const message = `internal error while reading the history: ${why}`;
    return { ok: false, errors: [{ line: 1, column: 1, message }] };
  }
}

function decodeWith(
  ops: readonly JepsenOp[],
  text: string,
  index: LineIndex,
  name: string,
  independent: boolean,
) {
  const codec = jepsenCodecFor(name, independent);
  if (codec === undefined)
    return {
      ok: false as const,
      errors: [{ line: 1, column: 1, message: `model ${name} has no EDN reading` }],
    };
  return guard<unknown, unknown>(() => decodeJepsen(ops, text, index, codec));
}

/** Every model, plain or per key, whose codec reads every operation. */
function ednFits(ops: readonly JepsenOp[], text: string, index: LineIndex): string[] {
  const fits: string[] = [];
  for (const independent of [false, true])
    for (const name of CODEC_MODEL_NAMES)
      if (decodeWith(ops, text, index, name, independent).ok)
        fits.push(independent ? `${name} --independent` : name);
  return fits;
}
