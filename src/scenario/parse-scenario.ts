/**
 * Scenario text (YAML or JSON) in, a resolved `Scenario` or a list of located errors out.
 * Four stages, each stopping the next when it fails: bounds on the text (size and nesting,
 * before the YAML parser recurses into it), YAML syntax (errors at their own position), shape
 * (the zod schema, converting units and applying defaults), and cross-field resolution (node
 * names, protocol options and bugs, workload and checkers). Errors carry the file, line, column
 * and field path, sorted by position; past SCENARIO_ERRORS_MAX only a count is kept, so a file of
 * 30,000 mistakes is read in well under a second and reported in twenty lines.
 *
 * It never throws, whatever the text: the CLI turns errors into exit code 65, and a throw would
 * become a stack trace (DESIGN §6). It touches no file system: the caller passes the text.
 */
import { createHash } from 'node:crypto';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { Composer, type CST, type Document, LineCounter, YAMLParseError } from 'yaml';
import { resolveScenario } from './resolve-scenario.js';
import type { Scenario } from './scenario.js';
import type { ScenarioError } from './scenario-error.js';
import { problemsFromZod, scenarioErrorMap, type ScenarioProblem } from './scenario-problem.js';
import { BUILTINS, type Registry } from './registry.js';
import { scenarioSchemaFor } from './schema/scenario-schema.js';
import { scenarioTokens } from './scenario-text.js';
import { DocumentPositions } from './yaml-positions.js';
import { type OptionOverride, overrideAt, withOverrides } from '../options/option-override.js';
import { duplicateKeyErrors, yamlSyntaxError, yamlValueError } from './yaml-errors.js';

/** Errors reported one by one; past this many, only how many more there are. */
const SCENARIO_ERRORS_MAX = 20;

export type ParseScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | {
      readonly ok: false;
      /** The first SCENARIO_ERRORS_MAX errors by position. */
      readonly errors: readonly ScenarioError[];
      /** How many more there were, when there were more. */
      readonly errorsOmitted?: number;
      /**
       * Set when all that stopped it is a protocol named by module path that was not passed in
       * `protocolModules`: import that module and parse again.
       */
      readonly protocolModule?: string;
      /**
       * Problems with a field a command-line `--option` set, worded as the flag's: a usage
       * error of the command, not a mistake in the file. Set only when there are some.
       */
      readonly overrideErrors?: readonly string[];
    };

export interface ParseScenarioOptions {
  /** Protocols the scenario names by module path (`protocol: ./mine.js`), already imported. */
  readonly protocolModules?: ReadonlyMap<string, AnyProtocolDefinition>;
  /** What the scenario may name (default: what faultline ships). */
  readonly registry?: Registry;
  /** `--option KEY=VALUE` flags, set over the file's `options:` before it is checked. */
  readonly optionOverrides?: readonly OptionOverride[];
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
export function scenarioContentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

function parse(text: string, file: string, options: ParseScenarioOptions): ParseScenarioResult {
  const lineCounter = new LineCounter();
  const read = scenarioTokens(text, file, lineCounter.addNewLine);
  if (!read.ok) return fail([read.error]);
  const doc = compose(read.tokens, text.length);
  const syntax = firstYamlErrors(doc.errors);
  const yamlErrors = [
    ...syntax.errors.map((err) => yamlSyntaxError(err, doc, lineCounter, file)),
    ...duplicateKeyErrors(doc, lineCounter, file),
  ];
  if (yamlErrors.length > 0) return fail(yamlErrors, syntax.omitted);

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
  const overrides = options.optionOverrides ?? [];
  try {
    data = withOverrides(doc.toJS({ maxAliasCount: 100 }), overrides);
  } catch (e) {
    return fail([yamlValueError(e, doc, lineCounter, file)]);
  }

  const positions = new DocumentPositions(doc, lineCounter);
  const registry = options.registry ?? BUILTINS;
  const shaped = scenarioSchemaFor(registry).safeParse(data, { error: scenarioErrorMap });
  if (!shaped.success) {
    const problems = problemsFromZod(shaped.error.issues);
    return overridden(problems, overrides) ?? fail(locate(problems, positions, file));
  }

  const resolved = resolveScenario(
    shaped.data,
    file,
    scenarioContentHash(text),
    registry,
    options.protocolModules,
  );
  if (!resolved.ok) {
    const flagged = overridden(resolved.problems, overrides);
    if (flagged !== undefined) return flagged;
    const module = resolved.protocolModule;
    const failed = fail(locate(resolved.problems, positions, file));
    return module === undefined || failed.ok ? failed : { ...failed, protocolModule: module };
  }
  if (overrides.length === 0) return { ok: true, scenario: resolved.scenario };
  const optionOverrides = overrides.map((o) => o.text);
  return { ok: true, scenario: { ...resolved.scenario, optionOverrides } };
}

/** The problems with fields an `--option` set, as the flag's errors; undefined if none. */
function overridden(
  problems: readonly ScenarioProblem[],
  overrides: readonly OptionOverride[],
): ParseScenarioResult | undefined {
  const errors = problems.flatMap((p) => {
    const o = overrideAt(p.path, overrides);
    return o === undefined ? [] : [`--option ${o.text}: ${p.path.join('.')}: ${p.message}`];
  });
  return errors.length === 0 ? undefined : { ok: false, errors: [], overrideErrors: errors };
}

/** The first document of the tokens, as `parseDocument` would compose it (one file, one document). */
function compose(tokens: readonly CST.Token[], length: number): Document {
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  let doc: Document | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (doc === undefined) doc = next;
    else {
      const message = 'Source contains multiple documents';
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', message));
      break;
    }
  }
  // compose(…, true) always ends with a document, empty text included.
  return doc as Document;
}

/** Binary garbage makes thousands of syntax errors: word only the first ones. */
function firstYamlErrors(errors: readonly YAMLParseError[]): {
  errors: YAMLParseError[];
  omitted: number;
} {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const omitted = Math.max(0, sorted.length - SCENARIO_ERRORS_MAX);
  return { errors: sorted.slice(0, SCENARIO_ERRORS_MAX), omitted };
}

function locate(
  problems: readonly ScenarioProblem[],
  positions: DocumentPositions,
  file: string,
): ScenarioError[] {
  return problems.map((p) => {
    const { line, column } = positions.of(p.path, p.at);
    return { file, line, column, path: p.path.join('.'), message: p.message };
  });
}

/** The first errors by position (stable for ties), without repeats, and a count of the rest. */
function fail(errors: readonly ScenarioError[], alreadyOmitted = 0): ParseScenarioResult {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.line}:${e.column}:${e.path}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.line - b.line || a.column - b.column);
  const omitted = alreadyOmitted + Math.max(0, unique.length - SCENARIO_ERRORS_MAX);
  const shown = unique.slice(0, SCENARIO_ERRORS_MAX);
  return omitted > 0
    ? { ok: false, errors: shown, errorsOmitted: omitted }
    : { ok: false, errors: shown };
}
