/**
 * The committed JSON Schema is exactly what the zod schema generates, so it cannot go stale:
 * after changing the scenario schema, run `npx tsx scripts/gen-schema.ts` and commit the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../../src/scenario/index.js';

const committedText = readFileSync(
  new URL('../../../schema/scenario.schema.json', import.meta.url),
  'utf8',
);

describe('schema/scenario.schema.json', () => {
  it('equals scenarioJsonSchema() (regenerate with npx tsx scripts/gen-schema.ts)', () => {
    expect(committedText).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

  it('describes every top-level field and rejects unknown ones', () => {
    const schema = JSON.parse(committedText) as {
      $id: string;
      title: string;
      type: string;
      properties: Record<string, { description?: string }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.$id).toBeTruthy();
    expect(schema.title).toBe('faultline scenario');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['protocol']);
    const fields = [
      'name',
      'description',
      'lesson',
      'protocol',
      'options',
      'bugs',
      'seed',
      'seeds',
      'cluster',
      'network',
      'disk',
      'clocks',
      'workload',
      'faults',
      'phases',
      'checkers',
      'limits',
    ];
    for (const f of fields) {
      expect(schema.properties[f], f).toBeDefined();
      expect(schema.properties[f]?.description, `${f} has a description`).toBeTruthy();
    }
  });

  it('gives editors each protocol’s options and bug names', () => {
    const schema = scenarioJsonSchema() as {
      allOf: {
        if: { properties: { protocol: { const: string } } };
        then: {
          properties: {
            options: { properties?: Record<string, unknown> };
            bugs: { items?: { enum: string[] } };
          };
        };
      }[];
    };
    const pb = schema.allOf.find((r) => r.if.properties.protocol.const === 'primary-backup');
    expect(Object.keys(pb?.then.properties.options.properties ?? {})).toEqual([
      'mode',
      'heartbeatMs',
      'electionTimeoutMs',
      'batchMax',
      'storage',
      'lsm',
      'checkpointEvery',
    ]);
    expect(pb?.then.properties.bugs.items?.enum).toContain('primary-backup.ack-before-fsync');
  });
});
