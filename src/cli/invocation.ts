/**
 * How the person who ran this command runs faultline again, from where they stand: the printed
 * `replay:` and `shrink it:` lines must paste and run. Installed as a package (this file under a
 * node_modules folder), that is `npx faultline`, which resolves the project's own copy. In a
 * clone there is no bin on the PATH and `npx faultline` would fetch whatever the registry holds
 * under that name, so it is `node <path to dist/cli/main.js>` relative to the working directory
 * (`npx tsx src/cli/main.ts` when running from source).
 */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from '../run/run-result.js';

export function cliInvocation(cwd: string = process.cwd()): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', import.meta.url));
  if (main.split(sep).includes('node_modules')) return 'npx faultline';
  const path = relative(cwd, main) || main;
  return `${fromSource ? 'npx tsx' : 'node'} ${shellWord(path)}`;
}
