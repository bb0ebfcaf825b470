/**
 * Reads a result.json written by `run` or `fuzz` (for `replay` and `shrink`): readable, JSON,
 * a faultline result of the schema version we know, with the fields a rerun needs. Anything else
 * is one message naming the file (exit 65).
 */
import { RESULT_SCHEMA_VERSION, type RunResult } from '../run/run-result.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import { readJsonFile } from './json-file.js';

export function readResult(path: string): RunResult {
  const doc = readJsonFile(path, 'result file');
  const r = doc as Partial<RunResult>;
  if (typeof r !== 'object' || r === null || r.tool !== 'faultline')
    throw new UserError(
      `${path}:1:1: not a faultline result (no "tool": "faultline")`,
      EXIT.dataError,
    );
  if (r.schemaVersion !== RESULT_SCHEMA_VERSION)
    throw new UserError(
      `${path}:1:1 schemaVersion: expected ${RESULT_SCHEMA_VERSION}, got ${String(r.schemaVersion)}${typeof r.schemaVersion === 'number' && r.schemaVersion < RESULT_SCHEMA_VERSION ? ' (written by an older faultline: rerun the seed to write a new result)' : ''}`,
      EXIT.dataError,
    );
  if (
    typeof r.seed !== 'number' ||
    typeof r.traceHash !== 'string' ||
    typeof r.scenario?.file !== 'string' ||
    !Array.isArray(r.bugs)
  ) {
    throw new UserError(
      `${path}:1:1: result is missing seed, traceHash, scenario.file or bugs`,
      EXIT.dataError,
    );
  }
  return r as RunResult;
}
