/**
 * Bundles the command line after `tsc` has built dist/: `dist/cli/main.js` (the `faultline`
 * bin) is replaced by an esbuild bundle of the same program, each command split into a chunk it
 * imports only when it runs, and the worker thread's entry is bundled beside it
 * (`dist/cli/seed-worker.js`, where the bundled worker pool looks for it), as is `compare`'s. Node's ES module
 * loader resolves, reads and compiles each file on its own, and `check` was about 70 files: the
 * bundle loads a handful. npm packages stay outside (imported from node_modules as before), and
 * the library entry (`dist/index.js`) and every other tsc output are left as they were, for
 * library users and for the tests that import them.
 *
 * Chunks sit in dist/cli next to main.js, so the paths the code finds from its own location
 * (package.json two folders up, main.js for printed commands, the worker's file) are the same
 * in the bundle as in the tsc build.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CHUNK_PREFIX = 'bundle-';

export async function bundleCli(root: string): Promise<void> {
  const out = join(root, 'dist/cli');
  for (const f of readdirSync(out))
    if (f.startsWith(CHUNK_PREFIX)) rmSync(join(out, f), { force: true });
  await build({
    entryPoints: {
      main: join(out, 'main.js'),
      'seed-worker': join(root, 'dist/runner/seed-worker.js'),
      'compare-worker': join(root, 'dist/compare/compare-worker.js'),
    },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: `${CHUNK_PREFIX}[hash]`,
    // main.js is both an input (tsc's) and the output.
    allowOverwrite: true,
    // Maps through tsc's own maps to src/, which ships.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await bundleCli(fileURLToPath(new URL('..', import.meta.url)));
