/**
 * JSON files the user hands the CLI (results; histories go through the importers), parsed with
 * an error that names file:line:column and what was expected. `JSON.parse` on Node 20 often
 * reports no position ("Unexpected token 'o', ... is not valid JSON"), so on failure the
 * position-keeping reader of the history importers says where and what.
 */
import { readFileSync } from 'node:fs';
import { readJson } from '../checkers/linearizability/formats/json-reader.js';
import { EXIT, UserError } from '../runner/exit-codes.js';

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const r = readJson(text);
    const offset = r.ok ? 0 : r.offset;
    const message = r.ok ? (e as Error).message : r.message;
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
    throw new UserError(`${file}:${line}:${column}: not valid JSON: ${message}`, EXIT.dataError);
  }
}

/** Reads and parses a JSON file; `what` names it in the message when it cannot be read (exit 65). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `${path}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      EXIT.dataError,
    );
  }
  return parseJsonText(text, path);
}
