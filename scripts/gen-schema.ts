/**
 * Writes schema/scenario.schema.json from the zod scenario schema. Run after changing the
 * schema (`npx tsx scripts/gen-schema.ts`); a unit test fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/scenario/json-schema.js';

const target = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
