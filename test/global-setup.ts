/**
 * Builds dist/ once before the tests, as `npm run build` does (tsc, the CLI bundle, the report
 * page's bundle), so end-to-end tests spawn the CLI exactly as a user would
 * (`node dist/cli/main.js`) and never run a stale build.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../scripts/bundle-cli.js';

export default async function setup(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    { stdio: 'inherit', cwd: root },
  );
  await bundleCli(root);
  // The report page's bundle, which report.html inlines (npm run build does both steps).
  execFileSync(process.execPath, [join(root, 'scripts/build-report-page.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
}
