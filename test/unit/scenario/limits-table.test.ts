/**
 * The README's limits table states every limit a scenario's `limits:` sets, with its default,
 * and the fixed bounds on input with their values: the table a user reads is the one the code
 * keeps, and a limit added or changed without it fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EDN_DEPTH_MAX,
  EDN_ITEMS_MAX,
} from '../../../src/checkers/linearizability/formats/edn-reader.js';
import { PARSE_ERRORS_MAX } from '../../../src/checkers/linearizability/formats/index.js';
import { US_PER_S } from '../../../src/core/time.js';
import { COUNT_MAX, DURATION_US_MAX } from '../../../src/options/units.js';
import {
  SCENARIO_BYTES_MAX,
  SCENARIO_NAME_MAX,
  SCENARIO_NESTING_MAX,
  scenarioJsonSchema,
} from '../../../src/scenario/index.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The table's rows by their first cell, without its backquotes: `limits.events` → cells. */
function limitsTable(): Map<string, string[]> {
  const start = README.indexOf('<!-- limits -->');
  const end = README.indexOf('<!-- /limits -->');
  expect(start, 'the README has a <!-- limits --> table').toBeGreaterThan(0);
  const rows = README.slice(start, end).split('\n').slice(3, -1);
  const cells = rows.map((r) =>
    r
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim()),
  );
  return new Map(cells.map((c) => [(c[0] ?? '').replace(/`/g, ''), c.slice(1)]));
}

const count = (n: number): string => n.toLocaleString('en-US');

describe('the README limits table', () => {
  const table = limitsTable();

  it('has every scenario limit with its default', () => {
    const schema = scenarioJsonSchema() as {
      properties: { limits: { properties: Record<string, { default?: number }> } };
    };
    const limits = Object.entries(schema.properties.limits.properties);
    expect(limits.length).toBeGreaterThanOrEqual(6);
    for (const [key, field] of limits) {
      const row = table.get(`limits.${key}`);
      expect(row, `limits.${key}`).toBeDefined();
      const shown = field.default === undefined ? 'phases + 10s' : count(field.default);
      expect(row?.[0], `limits.${key}`).toBe(shown);
    }
  });

  it('has the fixed bounds on input with their values', () => {
    expect(table.get('SCENARIO_BYTES_MAX')?.[0]).toBe(count(SCENARIO_BYTES_MAX));
    expect(table.get('SCENARIO_NESTING_MAX')?.[0]).toBe(count(SCENARIO_NESTING_MAX));
    expect(table.get('SCENARIO_NAME_MAX')?.[0]).toBe(count(SCENARIO_NAME_MAX));
    expect(table.get('DURATION_US_MAX')?.[0]).toBe(`${DURATION_US_MAX / (60 * US_PER_S)}m`);
    expect(table.get('COUNT_MAX')?.[0]).toBe(count(COUNT_MAX));
    expect(table.get('EDN_DEPTH_MAX, JSON_DEPTH_MAX')?.[0]).toBe(count(EDN_DEPTH_MAX));
    expect(table.get('EDN_ITEMS_MAX')?.[0]).toBe(count(EDN_ITEMS_MAX));
    expect(table.get('PARSE_ERRORS_MAX')?.[0]).toBe(count(PARSE_ERRORS_MAX));
  });
});
