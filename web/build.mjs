// Builds the widget, the console, the public survey page and the demo pages into web/dist/.
// The switchboard binary serves web/dist/ as its static root.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('./dist/', import.meta.url).pathname;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist + 'console', { recursive: true });

const common = { bundle: true, minify: true, target: ['es2020'], logLevel: 'warning' };

await esbuild.build({ ...common, entryPoints: ['widget/widget.ts'], outfile: dist + 'widget.js', format: 'iife' });
await esbuild.build({ ...common, entryPoints: ['widget/lang/*.ts'], outdir: dist + 'widget-lang', format: 'iife' });
await esbuild.build({ ...common, entryPoints: ['widget/end.ts'], outfile: dist + 'widget-end.js', format: 'iife' });
// The forms (offline, pre-chat, call-back, transcript, contact card): loaded when first shown.
await esbuild.build({ ...common, entryPoints: ['widget/forms.ts'], outfile: dist + 'widget-forms.js', format: 'iife' });
// The console is one ES module (console.js, console.css) plus chunks that only some
// pages import on demand (the reports' Chart.js): splitting keeps them out of console.js.
await esbuild.build({
  ...common,
  entryPoints: { console: 'console/main.tsx' },
  outdir: dist + 'console',
  // Hashed names: the server lets browsers keep them for a year (index.html is revalidated).
  entryNames: '[name]-[hash]',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'css' },
});
// A lazy chunk's own CSS file is never loaded: console/main.tsx imports every stylesheet,
// so console.css has them all and these files are duplicates.
for (const f of readdirSync(dist + 'console/chunks')) if (f.endsWith('.css')) rmSync(dist + 'console/chunks/' + f);
const hashed = (ext) => readdirSync(dist + 'console').find((f) => f.startsWith('console-') && f.endsWith(ext));
writeFileSync(dist + 'console/index.html', readFileSync('console/index.html', 'utf8')
  .replace('/console/console.css', `/console/${hashed('.css')}`)
  .replace('/console/console.js', `/console/${hashed('.js')}`));
// The public survey page (/s/<token>: the server answers any such path with
// survey/index.html), small and on its own: survey.js and survey.css, no console.
await esbuild.build({ ...common, entryPoints: { survey: 'survey/survey.ts' }, outdir: dist + 'survey', format: 'iife', loader: { '.css': 'css' } });
cpSync('survey/index.html', dist + 'survey/index.html');
cpSync('demo', dist + 'demo', { recursive: true });

const widget = readFileSync(dist + 'widget.js');
console.log(`widget.js: ${widget.length} bytes, ${gzipSync(widget).length} bytes gzipped`);
for (const f of ['widget-end.js', 'widget-forms.js']) console.log(`${f}: ${statSync(dist + f).size} bytes, ${gzipSync(readFileSync(dist + f)).length} bytes gzipped`);
console.log(`console.js: ${statSync(dist + 'console/' + hashed('.js')).size} bytes`);
for (const f of ['survey.js', 'survey.css']) console.log(`survey/${f}: ${statSync(dist + 'survey/' + f).size} bytes, ${gzipSync(readFileSync(dist + 'survey/' + f)).length} bytes gzipped`);
if (existsSync(dist + 'console/chunks')) for (const f of readdirSync(dist + 'console/chunks')) console.log(`console/chunks/${f}: ${statSync(dist + 'console/chunks/' + f).size} bytes`);

// Precompressed siblings (.br, .gz) of every text file: the server sends the one
// the browser takes, so nothing is compressed per request.
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const path = dir + name;
    if (statSync(path).isDirectory()) { precompress(path + '/'); continue; }
    if (!/\.(js|css|html|svg|json)$/.test(name) || statSync(path).size < 1024) continue;
    const bytes = readFileSync(path);
    writeFileSync(path + '.gz', gzipSync(bytes, { level: 9 }));
    writeFileSync(path + '.br', brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}
precompress(dist);
const js = dist + 'console/' + hashed('.js');
console.log(`${hashed('.js')}: ${statSync(js + '.br').size} bytes brotli, ${statSync(js + '.gz').size} gzip`);
// What the first load fetches: console-*.js and the chunks it imports statically
// (not the lazy pages', nor a language other than English).
const firstLoad = new Set();
const walk = (rel) => {
  if (firstLoad.has(rel)) return;
  firstLoad.add(rel);
  const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/') + 1) : '';
  for (const m of readFileSync(dist + 'console/' + rel, 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) walk(dir + m[1]);
};
walk(hashed('.js'));
let raw = 0, br = 0;
for (const f of firstLoad) { raw += statSync(dist + 'console/' + f).size; br += existsSync(dist + 'console/' + f + '.br') ? statSync(dist + 'console/' + f + '.br').size : statSync(dist + 'console/' + f).size; }
console.log(`console first load: ${firstLoad.size} scripts, ${raw} bytes, ${br} bytes brotli`);
