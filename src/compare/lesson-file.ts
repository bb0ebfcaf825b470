/**
 * A lesson file: one base scenario and the variants `faultline compare` runs side by side. Each
 * variant is a name plus fields merged into the base (merge-patch.ts), and the result is read
 * exactly as a scenario file is (parseScenario), so a variant can be wrong in every way a
 * scenario can. Its errors are reported where they are written in the lesson file: in the
 * variant when the variant wrote that field (or the part of it nearest the problem), else in
 * the base, with the lesson-file path (`variants.2.options.mode`) and the variant named.
 *
 *   name: cap
 *   lesson: what to look at in the table
 *   seeds: 1..20          # optional; --seeds overrides
 *   base: { …a scenario without what varies… }
 *   variants:
 *     - { name: raft, protocol: raft, options: { … } }
 *     - { name: crdt, protocol: crdt, options: null, workload: { type: counter } }
 *
 * The text is held to a scenario's bounds (size, nesting, list length) before it is parsed.
 */
import { isNode, type LineCounter as LineCounterType, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { z } from 'zod';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { parseScenario, type Scenario, type ScenarioError } from '../scenario/index.js';
import { safeScenarioName } from '../scenario/scenario-name.js';
import {
  type PathSegment,
  problemsFromZod,
  scenarioErrorMap,
} from '../scenario/scenario-problem.js';
import { scenarioTokens } from '../scenario/scenario-text.js';
import { duplicateKeyErrors, yamlSyntaxError } from '../scenario/yaml-errors.js';
import { DocumentPositions } from '../scenario/yaml-positions.js';
import { mergePatch } from './merge-patch.js';

/** Columns of one table: more would not fit 100 columns, nor a student's eye. */
const LESSON_VARIANTS_MAX = 6;

export interface LessonVariant {
  readonly name: string;
  /** The merged scenario as JSON text: what worker threads parse again. */
  readonly text: string;
  readonly scenario: Scenario;
}

export interface Lesson {
  readonly file: string;
  readonly name: string;
  readonly lesson: string;
  readonly seeds?: { readonly from: number; readonly to: number };
  readonly variants: readonly LessonVariant[];
}

export type LessonParse =
  | { readonly ok: true; readonly lesson: Lesson }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** Imports the protocol modules a variant names by path (the runner's loader). */
export type ModuleLoader = (
  text: string,
  file: string,
) => Promise<ReadonlyMap<string, AnyProtocolDefinition>>;

const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,23}$/;

const variantSchema = z.looseObject({
  name: z
    .string({ error: 'expected the variant’s name, its column in the table' })
    .regex(VARIANT_NAME, {
      error: 'expected up to 24 letters, digits, dots, dashes or slashes, starting with one',
    }),
});

const lessonSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string({ error: 'expected the lesson’s name' }).regex(/^[A-Za-z0-9][\w.-]*$/, {
    error: 'expected letters, digits, dots and dashes',
  }),
  description: z.string().optional(),
  lesson: z.string({ error: 'expected the lesson text: what to look at in the table' }),
  seeds: z
    .string({ error: 'expected a seed range like 1..20' })
    .regex(/^\s*\d+\s*\.\.\s*\d+\s*$/, { error: 'expected a seed range like 1..20' })
    .optional(),
  base: z.record(z.string(), z.unknown(), {
    error: 'expected the base scenario: a mapping of scenario fields',
  }),
  variants: z
    .array(variantSchema, { error: 'expected a list of variants, each { name, …fields }' })
    .min(1, { error: 'expected at least one variant' })
    .max(LESSON_VARIANTS_MAX, {
      error: `expected at most ${LESSON_VARIANTS_MAX} variants (LESSON_VARIANTS_MAX)`,
    }),
});

type LessonDocument = z.infer<typeof lessonSchema>;

export async function parseLesson(
  text: string,
  file: string,
  loadModules?: ModuleLoader,
): Promise<LessonParse> {
  const lineCounter = new LineCounter();
  const read = scenarioTokens(text, file);
  if (!read.ok) return { ok: false, errors: [read.error] };
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const yamlErrors = [
    ...doc.errors.slice(0, 1).map((e) => yamlSyntaxError(e, doc, lineCounter, file)),
    ...duplicateKeyErrors(doc, lineCounter, file),
  ];
  if (yamlErrors.length > 0) return { ok: false, errors: yamlErrors };
  const positions = new DocumentPositions(doc, lineCounter);
  const shaped = lessonSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? null, {
    error: scenarioErrorMap,
  });
  if (!shaped.success) {
    const errors = problemsFromZod(shaped.error.issues).map((p) => {
      const { line, column } = positions.of(p.path, p.at);
      return { file, line, column, path: p.path.join('.'), message: p.message };
    });
    return { ok: false, errors };
  }
  return variantsOf(shaped.data, { file, doc, lineCounter, positions }, loadModules);
}

interface Located {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounterType;
  readonly positions: DocumentPositions;
}

async function variantsOf(
  data: LessonDocument,
  at: Located,
  loadModules?: ModuleLoader,
): Promise<LessonParse> {
  const errors: ScenarioError[] = [];
  const variants: LessonVariant[] = [];
  for (const [i, v] of data.variants.entries()) {
    if (data.variants.findIndex((w) => w.name === v.name) < i) {
      errors.push(errorAt(at, ['variants', i, 'name'], `variant ${v.name} is named twice`));
      continue;
    }
    const { name, description: _, ...overrides } = v as Record<string, unknown>;
    const merged = mergePatch(data.base, overrides) as Record<string, unknown>;
    merged.name = safeScenarioName(`${data.name}-${String(name)}`);
    const text = JSON.stringify(merged);
    const parsed = await parseVariant(text, at.file, loadModules);
    if (parsed.ok) variants.push({ name: v.name, text, scenario: parsed.scenario });
    else errors.push(...parsed.errors.map((e) => inLessonFile(e, i, v.name, at)));
  }
  if (errors.length > 0) return { ok: false, errors };
  const seeds = data.seeds === undefined ? undefined : seedRange(data.seeds);
  return {
    ok: true,
    lesson: {
      file: at.file,
      name: data.name,
      lesson: data.lesson,
      ...(seeds !== undefined ? { seeds } : {}),
      variants,
    },
  };
}

async function parseVariant(text: string, file: string, loadModules?: ModuleLoader) {
  const parsed = parseScenario(text, file);
  if (parsed.ok || parsed.protocolModule === undefined || loadModules === undefined) return parsed;
  return parseScenario(text, file, { protocolModules: await loadModules(text, file) });
}

function seedRange(text: string): { from: number; to: number } | undefined {
  const [from, to] = text.split('..').map((s) => Number(s.trim())) as [number, number];
  return Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to
    ? { from, to }
    : undefined;
}

/**
 * A variant's scenario error, moved to where the lesson file wrote the field: the variant, when
 * it wrote as much of the path as the base did or more, else the base.
 */
function inLessonFile(e: ScenarioError, i: number, variant: string, at: Located): ScenarioError {
  const segments: PathSegment[] = e.path === '' ? [] : e.path.split('.');
  const inVariant: PathSegment[] = ['variants', i, ...segments];
  const inBase: PathSegment[] = ['base', ...segments];
  const variantDepth = existingDepth(at.doc, inVariant) - 2;
  const baseDepth = existingDepth(at.doc, inBase) - 1;
  const path = variantDepth >= baseDepth ? inVariant : inBase;
  return errorAt(at, path, `${e.message} (variant ${variant})`);
}

function errorAt(at: Located, path: readonly PathSegment[], message: string): ScenarioError {
  const { line, column } = at.positions.of(path);
  return { file: at.file, line, column, path: path.join('.'), message };
}

/** How many leading segments of `path` the document has. */
function existingDepth(doc: Document, path: readonly PathSegment[]): number {
  for (let n = path.length; n > 0; n--)
    if (isNode(doc.getIn(path.slice(0, n), true)) || doc.hasIn(path.slice(0, n))) return n;
  return 0;
}
