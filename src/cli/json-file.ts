/**
 * JSON files the user hands the CLI (results today, histories next), parsed with an error that
 * names file:line:column and what was expected. `JSON.parse` on Node 20 often reports no position
 * ("Unexpected token 'o', ... is not valid JSON"), so on failure a small scanner walks the text
 * to the first place it stops being JSON.
 */
import { EXIT, UserError } from './exit-codes.js';

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { offset, expected } = firstJsonError(text);
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
    const found = offset >= text.length ? 'end of file' : JSON.stringify(text.slice(offset, offset + 12).split('\n')[0]);
    throw new UserError(`${file}:${line}:${column}: not valid JSON: expected ${expected}, found ${found}`, EXIT.dataError);
  }
}

/** The offset of the first syntax error in `text` and what would have been valid there. */
export function firstJsonError(text: string): { offset: number; expected: string } {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  class Stop {
    constructor(readonly expected: string) {}
  }
  const fail = (expected: string): never => {
    throw new Stop(expected);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('an escape like \\n or \\"');
      } else if ((text.charCodeAt(i) ?? 0) < 0x20) fail('a closing quote');
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail('a value');
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}"');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]"');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail('end of file');
    return { offset: text.length, expected: 'valid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: Math.min(i, text.length), expected: e.expected };
    throw e;
  }
}
