/**
 * `npm run fuzz`: the long sweeps that do not belong in `npm test`, driven by the registry.
 *
 * 1. Every canary of every protocol at its full budget: `faultline fuzz <scenario> --seeds
 *    <budget> --bug <bug> --stop-on-first` must find the bug, and the checker the canary names
 *    (in the protocol's definition) must fire.
 * 2. The correct protocols clean: every scenario a canary names, `faultline fuzz <scenarios>
 *    --seeds N` (default 10000; `npm run fuzz -- --seeds 2000` for less), must report zero
 *    violations and no unknowns.
 *
 * Prints one line per sweep and a table; exits 1 when any expectation fails. Uses the built CLI
 * (`npm run build` first), so it measures what users run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOLS } from '../src/protocols/registry.js';

/** Each canary, and each expressible variant of one with its `--option` flags. */
const CANARIES = PROTOCOLS.flatMap((p) =>
  p.bugs.flatMap((b) => {
    if (b.canary === undefined) return [];
    const own = { ...b.canary, bug: b.name, options: [] as readonly string[] };
    const variants = (b.canary.variants ?? []).flatMap((v) =>
      'inexpressible' in v ? [] : [{ ...own, ...v }],
    );
    return [own, ...variants];
  }),
);
const optionFlags = (options: readonly string[]): string[] =>
  options.flatMap((o) => ['--option', o]);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const cleanSeeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 10_000;
const only = args.includes('--canaries-only')
  ? 'canaries'
  : args.includes('--clean-only')
    ? 'clean'
    : 'all';

interface FuzzDoc {
  readonly scenario: { readonly file: string };
  readonly options?: readonly string[];
  readonly counts: Record<string, number>;
  readonly violationsByChecker: Record<string, number>;
  readonly lowestFailingSeed: number | null;
  readonly wallMs: number;
  readonly results: readonly {
    readonly seed: number;
    readonly checks: readonly { readonly checker: string; readonly verdict: string }[];
  }[];
}

function fuzz(cliArgs: string[]): FuzzDoc[] {
  const r = spawnSync(process.execPath, [CLI, 'fuzz', ...cliArgs, '--json', '--reports-max', '0'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2)
    throw new Error(`faultline fuzz ${cliArgs.join(' ')} exited ${r.status}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as FuzzDoc | { kind: 'fuzz-set'; documents: FuzzDoc[] };
  return 'documents' in doc ? doc.documents : [doc];
}

let failed = false;
if (only !== 'clean') {
  console.log('canaries: each bug at its full budget (--stop-on-first)');
  for (const c of CANARIES) {
    const [doc] = fuzz([
      c.scenario,
      '--seeds',
      String(c.budget),
      '--bug',
      c.bug,
      '--stop-on-first',
      ...optionFlags(c.options),
    ]) as [FuzzDoc];
    const hit = doc.results.find((r) => r.seed === doc.lowestFailingSeed);
    const fired = hit?.checks.filter((x) => x.verdict === 'violation').map((x) => x.checker) ?? [];
    const ok = hit !== undefined && fired.includes(c.checker);
    if (!ok) failed = true;
    console.log(
      `  ${ok ? 'ok  ' : 'FAIL'} ${c.bug.padEnd(30)} ${[c.scenario, ...c.options].join(' ').padEnd(30)} budget ${String(c.budget).padStart(5)}  first failing seed ${doc.lowestFailingSeed ?? '-'}  (${fired.join(', ') || 'no violation'}; wanted ${c.checker}; measured ${c.measured})`,
    );
  }
}
if (only !== 'canaries') {
  const runs = new Map<string, readonly string[]>();
  for (const c of CANARIES) runs.set(c.options.join(' '), c.options);
  console.log(`clean: the correct protocol over seeds 1..${cleanSeeds}`);
  const docs = [...runs.values()].flatMap((options) => {
    const scenarios = [
      ...new Set(
        CANARIES.filter((c) => c.options.join(' ') === options.join(' ')).map((c) => c.scenario),
      ),
    ].sort();
    return fuzz([...scenarios, '--seeds', String(cleanSeeds), ...optionFlags(options)]);
  });
  for (const doc of docs) {
    const bad = (doc.counts.invalid ?? 0) + (doc.counts.unknown ?? 0);
    if (bad > 0) failed = true;
    const rate = (doc.results.length / Math.max(doc.wallMs / 1000, 1e-3)).toFixed(1);
    console.log(
      `  ${bad === 0 ? 'ok  ' : 'FAIL'} ${[doc.scenario.file, ...(doc.options ?? [])].join(' ').padEnd(30)} ${JSON.stringify(doc.counts)} ${JSON.stringify(doc.violationsByChecker)} lowest failing ${doc.lowestFailingSeed ?? '-'}  ${rate} seeds/s`,
    );
  }
}
process.exit(failed ? 1 : 0);
