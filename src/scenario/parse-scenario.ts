/**
 * Scenario text (YAML or JSON) in, a resolved `Scenario` or a list of located errors out.
 * Three stages, each stopping the next when it fails: YAML syntax (errors at their own
 * position), shape (the zod schema, converting units and applying defaults), and cross-field
 * resolution (node names, protocol options and bugs, workload and checkers). Errors carry the
 * file, line, column and field path, sorted by position.
 *
 * It never throws, whatever the text: the CLI turns errors into exit code 65, and a throw would
 * become a stack trace (DESIGN §6). It touches no file system: the caller passes the text.
 */
import { createHash } from 'node:crypto';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { resolveScenario } from './resolve-scenario.js';
import type { Scenario } from './scenario.js';
import type { ScenarioError } from './scenario-error.js';
import { problemsFromZod, scenarioErrorMap, type ScenarioProblem } from './scenario-problem.js';
import { BUILTINS, type Registry } from './registry.js';
import { scenarioSchemaFor } from './schema/scenario-schema.js';
import { positionOf } from './yaml-positions.js';
import { yamlSyntaxError, yamlValueError } from './yaml-errors.js';

export type ParseScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

export interface ParseScenarioOptions {
  /** Protocols the scenario names by module path (`protocol: ./mine.js`), already imported. */
  readonly protocolModules?: ReadonlyMap<string, AnyProtocolDefinition>;
  /** What the scenario may name (default: what faultline ships). */
  readonly registry?: Registry;
}

export function parseScenario(
  text: string,
  file: string,
  options: ParseScenarioOptions = {},
): ParseScenarioResult {
  try {
    return parse(text, file, options);
  } catch (e) {
    // Last resort: a bug here must still come out as a message, not a stack trace.
    return fail([
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message: `internal error while reading the scenario: ${e instanceof Error ? e.message : String(e)}`,
      },
    ]);
  }
}

/** A short, stable hash of the text: replays compare it to tell that a scenario file changed. */
function scenarioContentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

function parse(text: string, file: string, options: ParseScenarioOptions): ParseScenarioResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'error',
  });
  if (doc.errors.length > 0)
    return fail(doc.errors.map((err) => yamlSyntaxError(err, doc, lineCounter, file)));

  if (doc.contents === null)
    return fail([
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message: 'the scenario is empty: it needs at least protocol:',
      },
    ]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail([yamlValueError(e, doc, lineCounter, file)]);
  }

  const registry = options.registry ?? BUILTINS;
  const shaped = scenarioSchemaFor(registry).safeParse(data, { error: scenarioErrorMap });
  if (!shaped.success)
    return fail(locate(problemsFromZod(shaped.error.issues), doc, lineCounter, file));

  const resolved = resolveScenario(
    shaped.data,
    file,
    scenarioContentHash(text),
    registry,
    options.protocolModules,
  );
  if (!resolved.ok) return fail(locate(resolved.problems, doc, lineCounter, file));
  return { ok: true, scenario: resolved.scenario };
}

function locate(
  problems: readonly ScenarioProblem[],
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ScenarioError[] {
  return problems.map((p) => {
    const { line, column } = positionOf(doc, lineCounter, p.path, p.at);
    return { file, line, column, path: p.path.join('.'), message: p.message };
  });
}

/** Errors by position (stable for ties), without repeats. */
function fail(errors: readonly ScenarioError[]): ParseScenarioResult {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.line}:${e.column}:${e.path}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors: unique };
}
