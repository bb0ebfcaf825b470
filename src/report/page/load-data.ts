/**
 * Reads the data the writer embedded in the page (src/report/embed-data.ts says how and why):
 * gzipped blocks in base64, inflated by the browser's own DecompressionStream, so the page needs
 * no library and makes no request (each stream is built from bytes in memory, not fetched). The
 * numeric columns become typed arrays over the inflated bytes, with nothing to parse.
 */
import { type Column, COLUMN_LAYOUT, type ColumnTable, type ReportModel } from '../report-model.js';

/** The model, and the milliseconds spent decoding, inflating and parsing it. */
export interface Loaded {
  readonly model: ReportModel;
  readonly ms: number;
}

export async function loadModel(): Promise<Loaded> {
  const began = performance.now();
  const [json, columns] = await Promise.all([
    inflate('faultline-data'),
    inflate('faultline-columns'),
  ]);
  performance.mark('faultline:inflated');
  const rest = JSON.parse(new TextDecoder().decode(json)) as ReportModel & {
    rows: Record<ColumnTable, number>;
  };
  const tables: Record<ColumnTable, Record<string, Column>> = { msgs: {}, ticks: {}, states: {} };
  let offset = 0;
  for (const [table, name, type] of COLUMN_LAYOUT) {
    const n = rest.rows[table];
    tables[table][name] =
      type === 'f64' ? new Float64Array(columns, offset, n) : new Int32Array(columns, offset, n);
    offset += n * (type === 'f64' ? 8 : 4);
  }
  const model = { ...rest, ...tables } as unknown as ReportModel;
  performance.mark('faultline:parsed');
  return { model, ms: performance.now() - began };
}

/** What the page needs only on a click: message bodies and node state summaries. */
export interface Details {
  readonly bodies: string[];
  readonly stateTexts: string[];
}

/**
 * The details, embedded after the script: read once the page has loaded, so that inflating and
 * parsing them (megabytes on a long run) delays neither the first draw nor the load event.
 */
export async function loadDetails(): Promise<Details> {
  if (document.readyState !== 'complete')
    await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  return JSON.parse(new TextDecoder().decode(await inflate('faultline-details'))) as Details;
}

async function inflate(id: string): Promise<ArrayBuffer> {
  const text = (document.getElementById(id) as HTMLElement).textContent ?? '';
  const bytes = base64Bytes(text.trim());
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
  return new Response(source.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
