/**
 * Runs the built CLI and hands back its exit code, stdout and stderr, two ways: `cli` spawns it
 * exactly as a user would (`node dist/cli/main.js …`), for what is about the process (color from
 * the environment, `--help`, an installed copy, commands pasted into a shell); `faultline` calls
 * the same built command line (dist/cli/faultline.js, which main.js runs) in this process, for
 * what is about a command's output, reports and exit code, and spares a node start and a module
 * graph per call. Color is off (NO_COLOR=1) unless a test asks otherwise, and every report goes
 * to a temporary directory, never the repository's reports/. The global setup rebuilds dist/
 * before the tests, so what runs here is the current source.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
/** How printed commands invoke faultline when run from the checkout, as these tests run it. */
export const CLI = 'node dist/cli/main.js';

/** An ANSI escape sequence (colors and cursor movement alike). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is exactly what this looks for
export const ANSI = /\x1b\[/;
/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at /m;

/**
 * How long one spawned command may take before it counts as hung. Generous: on a loaded 2-core
 * machine a sweep that takes 5 s idle has taken over a minute, and a slow machine is not a bug.
 * FAULTLINE_E2E_SPAWN_MS overrides it.
 */
const SPAWN_TIMEOUT_MS = Number(process.env.FAULTLINE_E2E_SPAWN_MS ?? 0) || 300_000;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Working directory; the repository root unless given. */
  readonly cwd?: string;
  /** Extra environment; a value of `undefined` removes the variable. NO_COLOR=1 is the default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The CLI's entry file (dist/cli/main.js unless given) and flags for node before it. */
  readonly main?: string;
  readonly nodeArgs?: readonly string[];
}

export function cli(args: readonly string[], options: CliOptions = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env };
  // Start from a neutral environment: no inherited color forcing or suppression.
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const r = spawnSync(
    process.execPath,
    [...(options.nodeArgs ?? []), options.main ?? MAIN, ...args],
    {
      cwd: options.cwd ?? ROOT,
      env,
      encoding: 'utf8',
      timeout: SPAWN_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    },
  );
  if (r.error) throw r.error;
  if (r.status === null)
    throw new Error(`faultline ${args.join(' ')} ended by signal ${String(r.signal)}\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Faultline = (argv: readonly string[]) => Promise<number>;
let loaded: Faultline | undefined;

/**
 * Node's own loader, not vitest's: the built modules load as `node dist/cli/main.js` loads them,
 * untransformed, once per test file (`require` of an ES module, as Node 20.19 allows).
 */
const nativeRequire = createRequire(import.meta.url);

/** Replaces `stream.write` with one that collects what is written; returns the undo. */
function collect(stream: NodeJS.WriteStream, into: string[]): () => void {
  const write = stream.write;
  const isTTY = stream.isTTY;
  const columns = stream.columns;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof stream.write;
  // As when spawned with pipes: no terminal, so no progress bar and the default width.
  Object.assign(stream, { isTTY: false, columns: undefined });
  return () => {
    Object.assign(stream, { write, isTTY, columns });
  };
}

/**
 * The command line run in this process, as `cli` runs it in a child: from `cwd` (the repository
 * root unless given), with NO_COLOR=1 and `env` applied for the call and then restored.
 * Not for what depends on how the process started (chalk reads FORCE_COLOR once) or on
 * `--help`/`--version`, which yargs prints through the console: spawn those with `cli`.
 */
export async function faultline(
  args: readonly string[],
  options: Pick<CliOptions, 'cwd' | 'env'> = {},
): Promise<CliResult> {
  loaded ??= (nativeRequire(join(ROOT, 'dist/cli/faultline.js')) as { faultline: Faultline })
    .faultline;
  const env = { NO_COLOR: '1', ...options.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const undo = [collect(process.stdout, stdout), collect(process.stderr, stderr)];
  try {
    for (const [k, v] of Object.entries(env)) setEnv(k, v);
    process.chdir(options.cwd ?? ROOT);
    const code = await loaded(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    for (const u of undo) u();
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) setEnv(k, v);
  }
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/** A readable description of a run, for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

/** Non-empty lines of an output. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

/** Temporary directories for one test file, removed after its tests. */
export function useTempDirs(): (label?: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return (label = 'tmp') => {
    const d = mkdtempSync(join(tmpdir(), `faultline-e2e-${label}-`));
    dirs.push(d);
    return d;
  };
}

/**
 * A scenario that must be refused: `text` written to `dir` as `<name>.yaml` and run, exit 65
 * with nothing on stdout and no stack trace. The file, and the stderr lines without the prefix.
 */
export async function runBadScenario(
  dir: string,
  name: string,
  text: string,
): Promise<{ f: string; lines: string[] }> {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  const r = await faultline(['run', f, '--seed', '1', '--out', join(dir, 'out')]);
  expect(r.code, show(r)).toBe(65);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(STACK_LINE);
  return { f, lines: linesOf(r.stderr).map((l) => l.replace(/^faultline: /, '')) };
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every file below `dir`, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

interface CheckDoc {
  readonly checker: string;
  readonly verdict: string;
  readonly summary: string;
  readonly evidence?: unknown;
}

export interface ResultDoc {
  readonly schemaVersion: number;
  readonly tool: string;
  readonly scenario: { readonly file: string; readonly name: string; readonly contentHash: string };
  readonly seed: number;
  readonly bugs: readonly string[];
  readonly verdict: 'valid' | 'invalid' | 'unknown';
  readonly traceHash: string;
  readonly checks: readonly CheckDoc[];
  readonly replay?: string;
  readonly report?: string;
}

export interface SweepDoc {
  readonly scenario: string;
  readonly seeds: { readonly from: number; readonly to: number };
  readonly bugs: readonly string[];
  readonly workers: number;
  readonly counts: { readonly valid: number; readonly invalid: number; readonly unknown: number };
  readonly lowestFailingSeed: number | null;
  readonly replay: string | null;
  readonly reports: readonly string[];
  readonly results: readonly {
    readonly seed: number;
    readonly verdict: string;
    readonly traceHash: string;
    readonly checks: readonly CheckDoc[];
  }[];
}

/** Runs a seed range with `--json` (in this process) and parses the one document it prints. */
export async function sweepJson(
  scenario: string,
  seeds: string,
  out: string,
  extra: readonly string[] = [],
): Promise<{ run: CliResult; doc: SweepDoc }> {
  const run = await faultline([
    'run',
    scenario,
    '--seeds',
    seeds,
    '--json',
    '--out',
    out,
    ...extra,
  ]);
  if (run.code !== 0 && run.code !== 1 && run.code !== 2)
    throw new Error(`sweep of ${scenario} failed to run:\n${show(run)}`);
  return { run, doc: JSON.parse(run.stdout) as SweepDoc };
}

export const INSTALLED_NODE_ARGS = ['--preserve-symlinks', '--preserve-symlinks-main'] as const;

/**
 * A project that installed faultline, made of links into this checkout: `host/package.json` (the
 * host's own, version 9.9.9), faultline under `host/node_modules/faultline` with its dependencies
 * hoisted beside it and a `.bin/faultline` as npm writes one. Run node with `INSTALLED_NODE_ARGS`
 * (the bin does) so the links keep their paths, as copied files would.
 */
export function installedCopy(host: string): { main: string } {
  writeFileSync(join(host, 'package.json'), '{ "name": "host-app", "version": "9.9.9" }\n');
  const modules = join(host, 'node_modules');
  mkdirSync(join(modules, 'faultline'), { recursive: true });
  for (const dep of readdirSync(join(ROOT, 'node_modules')).filter((d) => !d.startsWith('.')))
    symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep));
  copyFileSync(join(ROOT, 'package.json'), join(modules, 'faultline', 'package.json'));
  symlinkSync(join(ROOT, 'dist'), join(modules, 'faultline', 'dist'));
  const main = join(modules, 'faultline', 'dist', 'cli', 'main.js');
  mkdirSync(join(modules, '.bin'));
  const bin = join(modules, '.bin', 'faultline');
  const flags = INSTALLED_NODE_ARGS.join(' ');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" ${flags} "${main}" "$@"\n`);
  chmodSync(bin, 0o755);
  return { main };
}

/** Runs a command line exactly as printed, in a POSIX shell, from `cwd`. */
export function shell(line: string, cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync('/bin/sh', ['-c', line], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
