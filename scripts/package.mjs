// Builds every committed bundle with @vercel/ncc: one per action
// (actions/<name>/dist) and the CLI (packages/cli/dist).
//   node scripts/package.mjs           rebuild and write every dist/
//   node scripts/package.mjs --check   rebuild in memory and fail if any committed file differs
// Bundles are byte-for-byte reproducible, so the check is a plain comparison.
import { createRequire } from 'node:module';
import { minify } from 'terser';
import { parse } from 'acorn';
import { simple as walk } from 'acorn-walk';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const targets = [
  ...(await readdir(join(root, 'actions'))).map((name) => ({
    name,
    entry: `actions/${name}/src/index.ts`,
    out: `actions/${name}/dist`
  })),
  { name: 'cli', entry: 'packages/cli/src/index.ts', out: 'packages/cli/dist' }
].filter((t) => !only.length || only.includes(t.name));

async function listFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

/**
 * Minified with terser (the entry and every chunk: ncc's own `minify` leaves
 * chunks as they are), which halves every bundle and the time to parse it.
 * Class names are kept, so an error that names its class reads the same
 * (function names are not: nothing reads them, and they cost 3% of the size);
 * users see one-line messages, never stack traces. ASCII where that
 * costs little: Node decodes a source file with any non-ASCII byte through its
 * slow UTF-8 path (about 12 ms of every start for an 800 kB entry), but
 * escaping a chunk made of non-ASCII tables (iconv-lite's) would grow it by a third.
 */
async function small(code) {
  const nonAscii = code.match(/[^\x00-\x7f]/g)?.length ?? 0;
  const out = await minify(code, {
    module: true,
    keep_classnames: true,
    format: { comments: false, ascii_only: nonAscii < code.length / 1000 }
  });
  return eagerFactories(out.code);
}

/**
 * Wraps every module factory of webpack's module table (`{123:(e,t,n)=>{…}}`)
 * in parentheses again, as ncc writes them before terser drops the parentheses.
 * V8 compiles a parenthesised function with its script; any other function is
 * only pre-parsed then and parsed again in full when first called. Every
 * factory of an entry runs at start-up, so without the parentheses the whole
 * bundle was parsed twice: about 25 ms of every action's start (profile of
 * pr-anomaly-scan: 35 ms in webpack's require, 6 ms more in compiling the script).
 */
function eagerFactories(code) {
  const spots = [];
  walk(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }), {
    ObjectExpression(o) {
      const factory = (p) =>
        p.type === 'Property' &&
        p.key.type === 'Literal' &&
        typeof p.key.value === 'number' &&
        (p.value.type === 'ArrowFunctionExpression' || p.value.type === 'FunctionExpression');
      if (o.properties.length && o.properties.every(factory))
        for (const p of o.properties) spots.push([p.value.start, p.value.end]);
    }
  });
  let out = '';
  let at = 0;
  for (const [start, end] of spots.sort((a, b) => a[0] - b[0])) {
    if (start < at) continue; // inside a factory already wrapped: compiled with it
    out += `${code.slice(at, start)}(${code.slice(start, end)})`;
    at = end;
  }
  return out + code.slice(at);
}

/**
 * The licence notice of every npm package in a bundle, entry and chunks, in ncc's format (name, licence, text).
 * ncc's `license` option reads only the modules webpack left whole, so the packages it concatenated (yaml,
 * picomatch, @actions/core, …) were missing from licenses.txt; webpack's stats list every module, nested ones too.
 */
function licences(stats) {
  const dirs = new Set();
  const visit = (modules) => {
    for (const m of modules ?? []) {
      // An identifier is the module's file, after any loaders (`!`) or module type (`json|`).
      const path = /[^!|]*$/.exec(m.identifier ?? '')[0];
      const at = path.lastIndexOf('/node_modules/');
      if (at !== -1) {
        const rest = path.slice(at + 14).split('/');
        dirs.add(path.slice(0, at + 14) + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join('/'));
      }
      visit(m.modules);
    }
  };
  visit(stats.toJson({ all: false, modules: true, nestedModules: true }).modules);
  const notices = new Map();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '';
    notices.set(`${pkg.name}\n${licence}\n${text}`, pkg.name);
  }
  return [...notices]
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1))
    .map(([notice]) => `${notice}\n`)
    .join('\n');
}

/** Where a text asset first differs from the committed one, so a CI log says what changed, not only that. */
function firstDifference(have, content) {
  if (!have || typeof content !== 'string' || content.length > 1e6) return '';
  const a = have.toString('utf8').split('\n');
  const b = content.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (l) => (l === undefined ? '(end of file)' : JSON.stringify(l.slice(0, 100)));
  return ` (line ${i + 1}: committed ${show(a[i])}, rebuilt ${show(b[i])})`;
}

let failed = 0;
for (const t of targets) {
  const started = Date.now();
  const { code, assets, stats } = await ncc(join(root, t.entry), {
    // No source maps: they would double the committed size, and users never see stack traces.
    sourceMap: false,
    // No build cache: ncc keeps one per working directory under ~/.cache/ncc, the only input of a build besides
    // the sources and node_modules. CI once rebuilt a different licenses.txt, and the one local repeat ran from a
    // cache written before `npm ci` reinstalled node_modules (suspected, not proven); cold builds leave no doubt.
    cache: false,
    // licenses.txt is written below: ncc's own list leaves out every package webpack concatenated into a module.
    quiet: true,
    target: 'es2022',
    // Types are checked once for the whole tree by `npm run typecheck`; bundling only transpiles.
    transpileOnly: true
  });
  // The runner starts dist/index.js; the package.json beside it marks it ESM.
  const files = new Map([
    ['index.js', await small(code)],
    ['package.json', '{\n  "type": "module"\n}\n']
  ]);
  for (const [name, asset] of Object.entries(assets))
    files.set(name, name.endsWith('.js') ? await small(asset.source.toString()) : asset.source);
  files.set('licenses.txt', licences(stats));
  const outDir = join(root, t.out);
  if (check) {
    const existing = new Set((await listFiles(outDir)).map((p) => relative(outDir, p)));
    const diffs = [];
    for (const [name, content] of files) {
      const have = await readFile(join(outDir, name)).catch(() => undefined);
      if (!have || !have.equals(Buffer.from(content))) diffs.push(name + firstDifference(have, content));
      existing.delete(name);
    }
    diffs.push(...[...existing].map((n) => `${n} (stale)`));
    if (diffs.length) {
      failed++;
      console.log(`dist out of date: ${t.out}: ${diffs.join(', ')}`);
    } else console.log(`dist up to date: ${t.out} (${Date.now() - started} ms)`);
  } else {
    await rm(outDir, { recursive: true, force: true });
    for (const [name, content] of files) {
      await mkdir(dirname(join(outDir, name)), { recursive: true });
      await writeFile(join(outDir, name), content);
    }
    const size = Buffer.byteLength(files.get('index.js'));
    console.log(`built ${t.out}/index.js: ${(size / 1024).toFixed(0)} KiB in ${Date.now() - started} ms`);
  }
}
if (failed) {
  console.log(`${failed} bundle(s) differ from their sources: run 'npm run package' and commit dist/.`);
  process.exit(1);
}
