/**
 * Reads a result.json written by `run` or `fuzz` (for `replay` and `shrink`): readable, JSON,
 * a faultline result of the schema version we know, with every field a rerun reads of the right
 * type. Anything else is one message naming the file, the line and column, and the field
 * (exit 65): a result file is user input like any other, and may have been edited.
 *
 * It also finds the scenario a result names, wherever the result is opened from: at the path
 * the run was given, relative to the result's own folder (recorded with the report), or, for
 * older reports, relative to a folder above it; the content hash the result stored confirms a
 * candidate, so a different file that happens to sit at the same path is passed over.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { type JsonNode, readJson } from '../checkers/linearizability/formats/json-reader.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../run/run-result.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import { SCENARIO_BYTES_MAX, scenarioContentHash } from '../scenario/index.js';
import {
  type PathSegment,
  problemsFromZod,
  scenarioErrorMap,
} from '../scenario/scenario-problem.js';
import { readJsonFile } from './json-file.js';

/** A result holds its checks' evidence and up to 50,000 fault records: tens of MB at most. */
const RESULT_BYTES_MAX = 256 * 1024 * 1024;

const verdict = z.enum(['ok', 'violation', 'unknown']);

/** The fields `replay` and `shrink` read; the rest is for people and is not checked. */
const resultFields = z.object({
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  traceHash: z.string(),
  scenario: z.object({
    file: z.string().min(1, { error: 'expected the scenario file’s path' }),
    name: z.string(),
    contentHash: z.string(),
    relativeToReport: z.string().optional(),
  }),
  bugs: z.array(z.string()).max(1000),
  options: z.array(z.string()).max(1000).optional(),
  verdict: z.enum(['valid', 'invalid', 'unknown']),
  checks: z.array(z.object({ checker: z.string(), verdict, summary: z.string() })),
  faults: z.array(z.object({ t: z.number(), action: z.string(), detail: z.string() })),
  swarm: z
    .object({
      on: z.array(z.object({ kind: z.string(), ratePercent: z.number(), holdPercent: z.number() })),
      off: z.array(z.string()),
    })
    .optional(),
});

export function readResult(path: string): RunResult {
  const size = existsSync(path) ? statSync(path).size : 0;
  if (size > RESULT_BYTES_MAX)
    throw new UserError(
      `${path}:1:1 the file is ${size} bytes, more than a result may be (RESULT_BYTES_MAX, ${RESULT_BYTES_MAX} bytes)`,
      EXIT.dataError,
    );
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
  const checked = resultFields.safeParse(doc, { error: scenarioErrorMap });
  if (!checked.success) {
    const first = problemsFromZod(checked.error.issues)[0];
    const where = locate(path, first?.path ?? []);
    const field = first?.path.join('.') ?? '';
    throw new UserError(`${path}:${where} ${field}: ${first?.message}`, EXIT.dataError);
  }
  return r as RunResult;
}

/** `line:col` of a field in the JSON file (of the deepest part of its path that exists). */
function locate(path: string, fieldPath: readonly PathSegment[]): string {
  const text = readFileSync(path, 'utf8');
  const read = readJson(text);
  let offset = 0;
  let node: JsonNode | undefined = read.ok ? read.value : undefined;
  for (const seg of fieldPath) {
    if (node?.kind === 'object') node = node.members.get(String(seg));
    else if (node?.kind === 'array') node = node.items[Number(seg)];
    else node = undefined;
    if (node === undefined) break;
    offset = node.start;
  }
  const before = text.slice(0, offset);
  return `${before.split('\n').length}:${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/**
 * The scenario file a result names, as a path to open from here: the first candidate whose
 * content hash is the recorded one; else the first that exists (the scenario was edited since,
 * which `replay` reports); else a UserError naming where it looked.
 */
export function scenarioOfResult(resultPath: string, r: RunResult): string {
  const recorded = r.scenario.file;
  const here = dirname(resultPath);
  const fromReport =
    r.scenario.relativeToReport === undefined ? undefined : join(here, r.scenario.relativeToReport);
  const named = [recorded, ...(fromReport === undefined ? [] : [fromReport])];
  // Reports written before relativeToReport: the run started in some folder above the report.
  const above = isAbsolute(recorded) ? [] : ancestors(here).map((dir) => join(dir, recorded));
  const matches = (file: string) => hashOf(file) === r.scenario.contentHash;
  const found = [...named, ...above].find(matches) ?? named.find((f) => hashOf(f) !== undefined);
  if (found !== undefined) return found;
  const looked = fromReport === undefined ? '' : ` (nor at ${fromReport}, beside the report)`;
  throw new UserError(
    `${recorded}: cannot read scenario file (no such file)${looked}`,
    EXIT.dataError,
  );
}

/** The folders above `dir`, nearest first, up to the root. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir), up = dirname(d); up !== d; d = up, up = dirname(d)) out.push(up);
  return out;
}

function hashOf(file: string): string | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > SCENARIO_BYTES_MAX) return undefined;
    return scenarioContentHash(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
