/**
 * Bundles the report page (src/report/page, browser code) into one minified script,
 * dist/report/page.js, which the report writer inlines into every report.html. esbuild: one
 * fast step, no config, TypeScript in and one IIFE out, so the page needs no loader and makes no
 * request. Run by `npm run build` (and by the tests' global setup).
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'src/report/page/main.ts')],
  outfile: join(root, 'dist/report/page.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
