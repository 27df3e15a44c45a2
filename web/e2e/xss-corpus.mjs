// The XSS corpus of the HTML sanitiser's unit test (tests/unit/mime_sanitize_test.cc,
// XssCorpusLeavesNothingExecutable), read from that file so the browser test and the
// unit test always hold the same vectors: each element's C++ string literals,
// concatenated and unescaped.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'unit', 'mime_sanitize_test.cc');

function unescapeC(s) {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\' }[e] ?? e;
  });
}

export function xssCorpus() {
  const src = readFileSync(SOURCE, 'utf8');
  const start = src.indexOf('XssCorpusLeavesNothingExecutable');
  const open = src.indexOf('corpus = {', start);
  const close = src.indexOf('\n  };', open);
  if (start < 0 || open < 0 || close < 0) throw new Error('the XSS corpus was not found in ' + SOURCE);
  const body = src.slice(open + 'corpus = {'.length, close);
  const vectors = [];
  let current = null;
  // Walk literals and the commas between elements (commas inside literals are skipped by the regex).
  for (const m of body.matchAll(/"((?:[^"\\]|\\.)*)"|(,)\s*(?=\n|\s*")/g)) {
    if (m[2]) {
      if (current !== null) vectors.push(current);
      current = null;
    } else {
      current = (current ?? '') + unescapeC(m[1]);
    }
  }
  if (current !== null) vectors.push(current);
  return vectors;
}
