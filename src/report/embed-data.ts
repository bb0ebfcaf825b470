/**
 * How report.html carries its data: three gzipped blocks in base64, each in its own script
 * element. A 100,000-event run's model is 12 MB as JSON, and Chromium spent most of that page's
 * opening reading and tokenizing those bytes, then inflating and parsing them; now the numeric
 * columns travel as one binary block (COLUMN_LAYOUT: typed arrays, nothing to parse), the rest
 * of the model as JSON, and the details (message bodies and node state summaries, more than half
 * of the bytes, needed only when an arrow is clicked or a moment picked) as a third block the
 * page inflates after its first draw. Base64 holds no `<`, so no
 * block can end its script element; the page inflates them with the browser's own
 * DecompressionStream (src/report/page/load-data.ts).
 */
import { gzipSync } from 'node:zlib';
import { type Column, COLUMN_LAYOUT, type ColumnTable, type ReportModel } from './report-model.js';

export interface EmbeddedData {
  /** The model without its columns and bodies, plus each table's row count. */
  readonly json: string;
  readonly columns: string;
  /** `{ bodies, stateTexts }`. */
  readonly details: string;
}

const gz = (b: Buffer | string) => gzipSync(b, { level: 6 }).toString('base64');

export function embedData(model: ReportModel): EmbeddedData {
  const tables = { msgs: model.msgs, ticks: model.ticks, states: model.states };
  const rows = {
    msgs: model.msgs.fate.length,
    ticks: model.ticks.t.length,
    states: model.states.t.length,
  } satisfies Record<ColumnTable, number>;
  const parts = COLUMN_LAYOUT.map(([table, name, type]) => {
    const col = (tables[table] as unknown as Record<string, Column>)[name] as Column;
    const typed = type === 'f64' ? Float64Array.from(col) : Int32Array.from(col);
    return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  });
  const { msgs: _m, ticks: _t, states: _s, bodies, stateTexts, ...rest } = model;
  return {
    json: gz(JSON.stringify({ ...rest, bodies: [], stateTexts: [], rows })),
    columns: gz(Buffer.concat(parts)),
    details: gz(JSON.stringify({ bodies, stateTexts })),
  };
}
