/**
 * Writes the hard class of histories (test/support/hard-histories.ts) to a folder, with a
 * `manifest.json` of each file's kind and expected verdict, for `npm run bench:lin` (its hard
 * class) and for Porcupine's driver to read the same files.
 *
 *   tsx scripts/hard-histories.ts [--out DIR] [--per-kind N] [--first-seed S]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { hardClass } from '../test/support/hard-histories.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : (args[i + 1] ?? fallback);
};
const out = opt('--out', join(tmpdir(), 'faultline-hard'));
const perKind = Number(opt('--per-kind', '12'));
const firstSeed = Number(opt('--first-seed', '1'));
mkdirSync(out, { recursive: true });
const histories = hardClass(perKind, firstSeed);
for (const h of histories) writeFileSync(join(out, h.name), h.text);
const manifest = histories.map(({ text: _text, ...meta }) => meta);
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`${histories.length} histories in ${out}\n`);
