/**
 * faultline's own `history.json`, as `faultline run` writes it (src/cli/report-writer.ts):
 * `{ schemaVersion: 1, seed, scenario, operations: Operation[] }`, each operation as in
 * src/core/history.ts. Only key/value histories are read (inputs `{ f: get|put|append, key,
 * value? }`), and the result is exactly what `linOpsFromHistory` makes of the same history in a
 * run, so `faultline check history.json` and the run's own checker see the same operations:
 *
 * - ids are faultline's operation ids (invocation order; gaps where `fail` operations were
 *   dropped), not renumbered, so evidence names the same `#id` as the run's report;
 * - `fail`: definitely did not happen, dropped;
 * - `info` (and `pending`, which a finished run never writes): unknown, open forever, output null;
 * - `ok`: call = invokeUs, ret = completeUs (virtual microseconds); output = what the client saw.
 *   A get's output stays `null` when the key was absent. It is not turned into `''`: the `kv-list`
 *   model, which these histories are checked against, tells an absent key from an empty value.
 *
 * Errors carry the JSON path of the field (`operations.12.outcome: expected ...`) and the line and
 * column where its value starts. Unknown fields are ignored; a `schemaVersion` other than 1 is
 * refused.
 */
import type { KvInput, KvOutput } from '../../../core/history.js';
import type { LinOp } from '../types.js';
import { type JsonNode, type JsonObject, readJson } from './json-reader.js';
import { ErrorSink, guard, LineIndex, type ParseResult, quote } from './parse-result.js';

const HISTORY_SCHEMA_VERSION = 1;

const OUTCOMES = ['ok', 'fail', 'info', 'pending'] as const;
const KV_FUNCTIONS = ['get', 'put', 'append'] as const;

const show = (node: JsonNode): string => {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return quote(JSON.stringify(node.value));
    case 'null':
      return 'null';
    default:
      return String(node.value);
  }
};

const choices = (names: readonly string[]): string => {
  const q = names.map((n) => JSON.stringify(n));
  return `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
};

export function parseFaultlineHistory(text: string): ParseResult<KvInput, KvOutput> {
  return guard(() => {
    const index = new LineIndex(text);
    const sink = new ErrorSink();
    const read = readJson(text);
    if (!read.ok) {
      const p = index.position(read.offset);
      return { ok: false, errors: [{ line: p.line, column: p.column, message: read.message }] };
    }
    const error = (node: JsonNode, path: string, message: string): undefined => {
      const p = index.position(node.start);
      sink.add(p.line, p.column, `${path}: ${message}`);
      return undefined;
    };
    const field = (
      obj: JsonObject,
      path: string,
      name: string,
      what: string,
    ): JsonNode | undefined => {
      const node = obj.members.get(name);
      if (node === undefined)
        error(
          obj,
          path === '' ? name : `${path}.${name}`,
          `expected ${what}, found nothing (the field is missing)`,
        );
      return node;
    };
    const str = (obj: JsonObject, path: string, name: string): string | undefined => {
      const node = field(obj, path, name, 'a string');
      if (node === undefined) return undefined;
      return node.kind === 'string'
        ? node.value
        : error(node, `${path}.${name}`, `expected a string, found ${show(node)}`);
    };
    const micros = (node: JsonNode, path: string): number | undefined =>
      node.kind === 'number' && Number.isSafeInteger(node.value) && node.value >= 0
        ? node.value
        : error(
            node,
            path,
            `expected a non-negative integer number of microseconds, found ${show(node)}`,
          );

    const root = read.value;
    if (root.kind !== 'object')
      return {
        ok: false,
        errors: [
          {
            line: 1,
            column: 1,
            message: `expected a history object { "schemaVersion": 1, "operations": [...] }, found ${show(root)}`,
          },
        ],
      };
    const version = field(root, '', 'schemaVersion', String(HISTORY_SCHEMA_VERSION));
    if (
      version !== undefined &&
      !(version.kind === 'number' && version.value === HISTORY_SCHEMA_VERSION)
    ) {
      error(
        version,
        'schemaVersion',
        `expected ${HISTORY_SCHEMA_VERSION} (the only version this reader knows), found ${show(version)}`,
      );
    }
    const operations = field(root, '', 'operations', 'an array of operations');
    if (!sink.empty || operations === undefined) return { ok: false, errors: sink.sorted() };
    if (operations.kind !== 'array') {
      error(operations, 'operations', `expected an array of operations, found ${show(operations)}`);
      return { ok: false, errors: sink.sorted() };
    }

    const ops: LinOp<KvInput, KvOutput>[] = [];
    let lastId = -1;
    for (const [i, node] of operations.items.entries()) {
      if (sink.full) break;
      const path = `operations.${i}`;
      if (node.kind !== 'object') {
        error(node, path, `expected an operation object, found ${show(node)}`);
        continue;
      }
      const errorsBefore = sink.errors.length;
      const idNode = field(node, path, 'id', 'the operation id, a non-negative integer');
      let id: number | undefined;
      if (idNode !== undefined) {
        if (idNode.kind !== 'number' || !Number.isSafeInteger(idNode.value) || idNode.value < 0)
          error(idNode, `${path}.id`, `expected a non-negative integer, found ${show(idNode)}`);
        else if (idNode.value <= lastId)
          error(
            idNode,
            `${path}.id`,
            `expected an id greater than ${lastId} (operations are listed in invocation order), found ${idNode.value}`,
          );
        else id = lastId = idNode.value;
      }
      const client = str(node, path, 'client');
      const f = str(node, path, 'f');
      if (f !== undefined && !(KV_FUNCTIONS as readonly string[]).includes(f)) {
        error(
          node.members.get('f') as JsonNode,
          `${path}.f`,
          `expected ${choices(KV_FUNCTIONS)} (this reader takes key/value histories), found ${quote(JSON.stringify(f))}`,
        );
      }
      const outcomeNode = field(node, path, 'outcome', choices(OUTCOMES));
      let outcome: (typeof OUTCOMES)[number] | undefined;
      if (outcomeNode !== undefined) {
        if (
          outcomeNode.kind === 'string' &&
          (OUTCOMES as readonly string[]).includes(outcomeNode.value)
        )
          outcome = outcomeNode.value as (typeof OUTCOMES)[number];
        else
          error(
            outcomeNode,
            `${path}.outcome`,
            `expected ${choices(OUTCOMES)}, found ${show(outcomeNode)}`,
          );
      }
      const invokeNode = field(node, path, 'invokeUs', 'the invocation time in microseconds');
      const invokeUs =
        invokeNode === undefined ? undefined : micros(invokeNode, `${path}.invokeUs`);

      let input: KvInput | undefined;
      const inputNode = field(node, path, 'input', 'the input object { "f", "key", "value"? }');
      if (inputNode !== undefined && inputNode.kind !== 'object')
        error(
          inputNode,
          `${path}.input`,
          `expected an object { "f", "key", "value"? }, found ${show(inputNode)}`,
        );
      else if (inputNode !== undefined) {
        const ip = `${path}.input`;
        const inF = str(inputNode, ip, 'f');
        const key = str(inputNode, ip, 'key');
        if (inF !== undefined && f !== undefined && inF !== f)
          error(
            inputNode.members.get('f') as JsonNode,
            `${ip}.f`,
            `expected ${JSON.stringify(f)} like the operation's f, found ${quote(JSON.stringify(inF))}`,
          );
        else if (inF === 'get' && key !== undefined) input = { f: 'get', key };
        else if ((inF === 'put' || inF === 'append') && key !== undefined) {
          const value = str(inputNode, ip, 'value');
          if (value !== undefined) input = { f: inF, key, value };
        }
      }
      if (outcome === 'fail' || sink.errors.length > errorsBefore) continue;
      if (
        id === undefined ||
        client === undefined ||
        input === undefined ||
        invokeUs === undefined ||
        outcome === undefined
      )
        continue;
      const line = index.position(node.start).line;
      if (outcome !== 'ok') {
        ops.push({
          id,
          client,
          input,
          output: null,
          unknown: true,
          call: invokeUs,
          ret: Infinity,
          line,
        });
        continue;
      }
      const completeNode = field(
        node,
        path,
        'completeUs',
        'the completion time in microseconds (the operation is ok)',
      );
      const completeUs =
        completeNode === undefined ? undefined : micros(completeNode, `${path}.completeUs`);
      if (completeNode === undefined || completeUs === undefined) continue;
      if (completeUs < invokeUs) {
        error(
          completeNode,
          `${path}.completeUs`,
          `expected a time at or after invokeUs ${invokeUs}, found ${completeUs}`,
        );
        continue;
      }
      const outputNode = node.members.get('output');
      let output: KvOutput = null;
      if (outputNode !== undefined && outputNode.kind === 'string') output = outputNode.value;
      else if (outputNode !== undefined && outputNode.kind !== 'null' && input.f === 'get') {
        error(
          outputNode,
          `${path}.output`,
          `expected the string the get returned, or null, found ${show(outputNode)}`,
        );
        continue;
      }
      ops.push({
        id,
        client,
        input,
        output,
        unknown: false,
        call: invokeUs,
        ret: completeUs,
        line,
      });
    }
    if (!sink.empty) return { ok: false, errors: sink.sorted() };
    return { ok: true, ops };
  });
}
