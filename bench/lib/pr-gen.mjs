// A realistic pull request for the pr-anomaly-scan benchmark, generated from a
// seed (the same seed gives the same bytes on every machine). The mix is what a
// large scientific-Python PR carries (docs/benchmarks.md states it):
//   .py        Python modules and tests: imports, functions, docstrings, NumPy calls, f-strings, URLs
//              and SHA-256 pins; comments in English, some in French or German (accents) or Greek
//   .js        ES modules, JSDoc, fetch calls, a few minified bundles under dist/ (long lines)
//   .json      package manifests with integrity hashes, numeric fixtures, records with accented names
//   .ipynb     nbformat-4 notebooks: markdown with LaTeX, code cells, stream output and a base64 PNG per plot
//   binaries   .npy, .png, .so (ELF), .pkl, .h5 with their real headers and random bodies
// Planted, so every family has something to find: a few bidi controls (Trojan Source), zero-width
// characters, and credentials of known formats (random, never real), in files chosen by the seed.
import { createHash } from 'node:crypto';

/** The full PR of issue 15 (about 108 MB) and a typical small one. */
export const LARGE = { seed: 15, counts: { py: 5500, js: 2500, json: 1200, ipynb: 750, bin: 50 }, plant: 6 };
export const SMALL = { seed: 20, counts: { py: 11, js: 5, json: 2, ipynb: 1, bin: 1 }, plant: 1 };

/** Mean size in bytes of each kind (sizes vary around it, log-normally). */
const MEAN = { py: 7330, js: 9540, json: 3750, ipynb: 26600, bin: 128500 };

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const bytes = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE((next() * 4294967296) >>> 0, Math.min(i, n - 4));
    return b;
  };
  const hex = (n) =>
    bytes(Math.ceil(n / 2))
      .toString('hex')
      .slice(0, n);
  const alnum = (n, set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') =>
    Array.from({ length: n }, () => set[int(set.length)]).join('');
  // Log-normal around `mean` (sigma 0.6), at least 300 bytes.
  const size = (mean) => {
    const g = Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next());
    return Math.max(300, Math.round(mean * Math.exp(0.6 * g - 0.18)));
  };
  return { next, int, pick, bytes, hex, alnum, size };
}

const NOUNS = [
  'array',
  'matrix',
  'signal',
  'sample',
  'weight',
  'kernel',
  'grid',
  'spectrum',
  'image',
  'graph',
  'node',
  'edge',
  'model',
  'fit',
  'residual',
  'window',
  'mask',
  'label',
  'axis',
  'frame',
  'series',
  'field',
  'tensor',
  'basis',
  'coeff',
  'offset',
  'scale',
  'bound',
  'solver',
  'step',
  'tolerance',
  'record',
  'layout'
];
const VERBS = [
  'compute',
  'estimate',
  'normalize',
  'resample',
  'validate',
  'interpolate',
  'filter',
  'project',
  'transform',
  'evaluate',
  'aggregate',
  'smooth',
  'decompose',
  'fit',
  'predict',
  'load',
  'render',
  'parse'
];
const MODS = [
  'numpy as np',
  'scipy.sparse as sp',
  'pandas as pd',
  'matplotlib.pyplot as plt',
  'warnings',
  'functools',
  'itertools',
  'logging',
  'os',
  'math',
  'json',
  'pathlib'
];
const FROMS = [
  'from scipy import optimize, linalg',
  'from numpy.typing import ArrayLike, NDArray',
  'from collections.abc import Iterable, Sequence',
  'from dataclasses import dataclass, field',
  'from ..utils._param_validation import Interval, validate_params',
  'from ._base import BaseEstimator',
  'from typing import TYPE_CHECKING, Any',
  'from .._lib._util import check_random_state'
];
const EN = [
  'Avoid a copy when the input is already contiguous.',
  'The tolerance is relative to the largest value.',
  'See the reference implementation for the derivation.',
  'Fall back to the dense path for small inputs.',
  'Keep the original dtype so integer inputs stay exact.',
  'This matches the behaviour of the previous release.',
  'Broadcast the weights against the last axis.',
  'NaN values are ignored, as in nanmean.'
];
const FR = [
  'Calcul de l’écart-type pondéré, sans copie inutile.',
  'Les données déjà triées sont réutilisées.',
  'Résumé : la matrice est symétrique et définie positive.',
  'Méthode itérative ; voir la thèse de Hélène Dupré.'
];
const DE = [
  'Größe der Stichprobe prüfen, bevor gemittelt wird.',
  'Überlauf vermeiden: Werte zuerst skalieren.',
  'Für dünn besetzte Matrizen ist dieser Weg schneller.'
];
const EL = [
  'Υπολογισμός της μέσης τιμής (μ) και της τυπικής απόκλισης (σ).',
  'Η μέθοδος συγκλίνει για λ < 1.',
  'Σ πάνω σε όλους τους δείκτες i, με βάρη w_i.',
  'Θ(n log n) στη χειρότερη περίπτωση.'
];
const HOSTS = [
  'https://github.com/scipy/scipy/blob/main/scipy/optimize/_minimize.py',
  'https://numpy.org/doc/stable/reference/generated/numpy.linalg.lstsq.html',
  'https://doi.org/10.1016/j.jcp.2019.07.031',
  'https://docs.python.org/3/library/functools.html#functools.cache',
  'https://scikit-learn.org/stable/modules/generated/sklearn.linear_model.Ridge.html'
];

function comment(r) {
  const x = r.next();
  return x < 0.8 ? r.pick(EN) : x < 0.9 ? r.pick(FR) : x < 0.95 ? r.pick(DE) : r.pick(EL);
}
const ident = (r) => `${r.pick(VERBS)}_${r.pick(NOUNS)}`;
const camel = (r) => r.pick(VERBS) + r.pick(NOUNS).replace(/^./, (c) => c.toUpperCase());

/** One Python statement at `indent`, with the occasional secret candidate (hash pin, URL, long dotted call). */
function pyLine(r, ind) {
  const a = r.pick(NOUNS);
  const b = r.pick(NOUNS);
  switch (r.int(16)) {
    case 0:
      return `${ind}# ${comment(r)}`;
    case 1:
      return `${ind}${a} = np.asarray(${b}, dtype=np.float64)`;
    case 2:
      return `${ind}${a}_${b} = np.linalg.lstsq(design_${b}, observed_${a}, rcond=None)[0]`;
    case 3:
      return `${ind}if not np.all(np.isfinite(${a})):`;
    case 4:
      return `${ind}    raise ValueError(f"${a} must be finite, got {${a}!r} (shape {${a}.shape})")`;
    case 5:
      return `${ind}np.testing.assert_allclose(${a}, expected_${a}, rtol=1e-${5 + r.int(8)}, atol=0)`;
    case 6:
      return `${ind}for i, (${a}, ${b}) in enumerate(zip(${a}s, ${b}s, strict=True)):`;
    case 7:
      return `${ind}    total += ${a} * ${b} / max(${a}_${b}.sum(axis=${r.int(3) - 1}), 1e-12)`;
    case 8:
      return `${ind}logger.debug("%s: %d iterations, residual %.3e", ${a}.__class__.__name__, n_iter, residual)`;
    case 9:
      return `${ind}# See ${r.pick(HOSTS)}`;
    case 10:
      return `${ind}EXPECTED_SHA256 = "${r.hex(64)}"`;
    case 11:
      return `${ind}return ${a}.reshape(-1, ${b}.shape[-1]).astype(${a}.dtype, copy=False)`;
    case 12:
      return `${ind}${a} = self._validate_data(${a}, accept_sparse=("csr", "csc"), reset=False)`;
    case 13:
      return `${ind}result = optimize.minimize(objective, x0=${a}_init, method="L-BFGS-B", jac=True)`;
    case 14:
      return `${ind}warnings.warn(f"{${a}!r} is deprecated since 1.${r.int(14)}; use ${ident(r)}", DeprecationWarning)`;
    default:
      return `${ind}${a} = ${ident(r)}(${b}, axis=${r.int(3)}, keepdims=${r.next() < 0.5 ? 'True' : 'False'})`;
  }
}

function python(r, bytes, test) {
  const out = [`"""${test ? 'Tests for' : 'Utilities to'} ${r.pick(VERBS)} ${r.pick(NOUNS)}s.`, '', comment(r), '"""'];
  for (let i = 0, n = 2 + r.int(5); i < n; i++) out.push(`import ${r.pick(MODS)}`);
  for (let i = 0, n = 1 + r.int(4); i < n; i++) out.push(r.pick(FROMS));
  out.push('', `__all__ = ["${ident(r)}", "${ident(r)}"]`, '', 'logger = logging.getLogger(__name__)');
  let size = out.join('\n').length;
  while (size < bytes) {
    const block = ['', ''];
    if (r.next() < 0.2) {
      block.push(`class ${camel(r).replace(/^./, (c) => c.toUpperCase())}(BaseEstimator):`);
      block.push(`    """${comment(r)}"""`, '');
    }
    const ind = block.length > 2 ? '    ' : '';
    const name = test ? `test_${ident(r)}` : ident(r);
    block.push(`${ind}def ${name}(${r.pick(NOUNS)}, ${r.pick(NOUNS)}=None, *, axis=-1, copy=True):`);
    block.push(`${ind}    """${comment(r)}`, '', `${ind}    Parameters`, `${ind}    ----------`);
    block.push(`${ind}    ${r.pick(NOUNS)} : array_like`, `${ind}        ${comment(r)}`, `${ind}    """`);
    for (let i = 0, n = 4 + r.int(14); i < n; i++) block.push(pyLine(r, `${ind}    `));
    block.push(`${ind}    return ${r.pick(NOUNS)}`);
    const text = block.join('\n');
    out.push(text);
    size += text.length + 1;
  }
  return out.join('\n') + '\n';
}

function jsLine(r, ind) {
  const a = r.pick(NOUNS);
  const b = r.pick(NOUNS);
  switch (r.int(12)) {
    case 0:
      return `${ind}// ${comment(r)}`;
    case 1:
      return `${ind}const ${a}Width = Math.max(...${b}s.map((n) => n.x + n.width), 0);`;
    case 2:
      return `${ind}const response = await fetch(\`\${API_BASE}/api/v1/${a}s/\${encodeURIComponent(id)}/${b}s\`);`;
    case 3:
      return `${ind}if (!response.ok) throw new Error(\`${a} request failed: \${response.status}\`);`;
    case 4:
      return `${ind}${a}s.sort((x, y) => x.${b} - y.${b} || x.name.localeCompare(y.name));`;
    case 5:
      return `${ind}this.${a} = options.${a} ?? DEFAULT_${a.toUpperCase()}_${b.toUpperCase()};`;
    case 6:
      return `${ind}for (const [key, value] of Object.entries(${a}.${b} ?? {})) ${a}Map.set(key, value);`;
    case 7:
      return `${ind}return { ...state, ${a}: state.${a}.filter((item) => item.id !== action.payload.id) };`;
    case 8:
      return `${ind}element.setAttribute('aria-label', \`${a} \${index + 1} of \${${b}s.length}\`);`;
    case 9:
      return `${ind}// integrity: sha384-${r.bytes(48).toString('base64')}`;
    case 10:
      return `${ind}const ${a}Url = new URL('${r.pick(HOSTS)}');`;
    default:
      return `${ind}${a}Cache.set(${b}.id, compute${b[0].toUpperCase()}${b.slice(1)}(${b}, { ${a}, signal }));`;
  }
}

function javascript(r, bytes, minified) {
  const out = [
    `import { ${camel(r)}, ${camel(r)} } from './${r.pick(NOUNS)}.js';`,
    `import ${camel(r)} from '${r.pick(['d3', 'react', 'lodash-es', '@jupyterlab/services'])}';`,
    ''
  ];
  let size = out.join('\n').length;
  while (size < bytes) {
    const block = ['/**', ` * ${comment(r)}`, ` * @param {object} ${r.pick(NOUNS)}`, ' */'];
    block.push(`export ${r.next() < 0.3 ? 'async ' : ''}function ${camel(r)}(${r.pick(NOUNS)}, options = {}) {`);
    for (let i = 0, n = 3 + r.int(12); i < n; i++) block.push(jsLine(r, '  '));
    block.push('}', '');
    let text = block.join('\n');
    // A minified bundle: the same code on a few very long lines.
    if (minified) text = text.replace(/\n\s*/g, ';').replace(/\/\*\*.*?\*\//g, '') + '\n';
    out.push(text);
    size += text.length + 1;
  }
  return out.join('\n') + '\n';
}

const PEOPLE = ['Zoë Müller', 'José Núñez', 'Ana Łukasiewicz', 'Søren Ødegård', 'Γιώργος Παπαδόπουλος', 'Ada Lovelace'];

function json(r, bytes) {
  const kind = r.int(3);
  if (kind === 0) {
    const deps = {};
    const packages = {};
    for (let size = 0; size < bytes - 400; size += 330) {
      const name = `${r.pick(['@jupyterlab/', '@lumino/', '', '', 'd3-'])}${r.pick(NOUNS)}-${r.pick(VERBS)}`;
      const version = `${r.int(9)}.${r.int(30)}.${r.int(20)}`;
      deps[name] = `^${version}`;
      packages[`node_modules/${name}`] = {
        version,
        resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
        integrity: `sha512-${r.bytes(64).toString('base64')}`,
        license: r.pick(['MIT', 'BSD-3-Clause', 'ISC', 'Apache-2.0'])
      };
    }
    return (
      JSON.stringify({ name: ident(r).replace(/_/g, '-'), version: '0.1.0', dependencies: deps, packages }, null, 2) +
      '\n'
    );
  }
  if (kind === 1) {
    const rows = [];
    for (let size = 0; size < bytes - 200; size += 120)
      rows.push(Array.from({ length: 8 }, () => Math.round((r.next() * 2 - 1) * 1e6) / 1e6));
    return JSON.stringify({ description: comment(r), shape: [rows.length, 8], data: rows }, null, 1) + '\n';
  }
  const records = [];
  for (let size = 0; size < bytes - 200; size += 150)
    records.push({ id: r.hex(12), author: r.pick(PEOPLE), [r.pick(NOUNS)]: r.int(1000), note: comment(r) });
  return JSON.stringify(records, null, 2) + '\n';
}

const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function notebook(r, bytes) {
  const cells = [];
  let size = 0;
  while (size < bytes) {
    cells.push({
      cell_type: 'markdown',
      metadata: {},
      source: [
        `## ${r.pick(VERBS)} the ${r.pick(NOUNS)}\n`,
        '\n',
        `${comment(r)} $\\sigma^2 = \\frac{1}{n}\\sum_i (x_i - \\mu)^2$\n`
      ]
    });
    const src = Array.from({ length: 3 + r.int(8) }, () => pyLine(r, '') + '\n');
    const png = Buffer.concat([PNG_HEAD, r.bytes(Math.min(bytes, 4000 + r.int(30000)))]).toString('base64');
    cells.push({
      cell_type: 'code',
      execution_count: cells.length,
      metadata: {},
      outputs: [
        { name: 'stdout', output_type: 'stream', text: [`${r.pick(NOUNS)}: ${r.next().toFixed(6)}\n`] },
        {
          data: { 'image/png': png, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] },
          metadata: {},
          output_type: 'display_data'
        }
      ],
      source: src
    });
    size += png.length + src.join('').length + 300;
  }
  const nb = {
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  return JSON.stringify(nb, null, 1) + '\n';
}

const MAGIC = {
  npy: Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00v\x00', 'latin1'),
    Buffer.from("{'descr': '<f8', 'fortran_order': False, 'shape': (4096, 16), }".padEnd(117) + '\n')
  ]),
  png: PNG_HEAD,
  so: Buffer.from('7f454c46020101000000000000000000', 'hex'),
  pkl: Buffer.from('8004952a000000000000008c', 'hex'),
  h5: Buffer.from('894844460d0a1a0a', 'hex')
};

/** Credentials in formats secretlint knows, random (never real), built from parts so no token sits in this file. */
function credential(r, n) {
  const gh = ['gh', 'p_'].join('') + r.alnum(36);
  const slack = ['xo', 'xb-'].join('') + `${r.int(9e11) + 1e11}-${r.int(9e11) + 1e11}-${r.alnum(24)}`;
  const aws = ['AK', 'IA'].join('') + r.alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  const lines = [
    `GITHUB_TOKEN = "${gh}"`,
    `SLACK_BOT_TOKEN = "${slack}"`,
    `AWS_ACCESS_KEY_ID = "${aws}"`,
    `db_url = "postgres://analytics:${r.alnum(18)}@db.internal.example.org:5432/metrics"`
  ];
  return lines[n % lines.length];
}

/**
 * Lines planted in a file's text (bidi controls, zero-width characters, credentials) and the rule that
 * must report each. An AWS access key ID is a near miss: the preset reports key IDs only when asked to.
 */
const PLANTS = [
  { kind: 'bidi', make: () => `    access_level = "user\u202e \u2066# check if admin\u2069 \u2066"` },
  { kind: 'zero-width', make: () => `    is_adm\u200bin = False  # default` },
  { kind: 'credential', make: (r, n) => credential(r, n) }
];
const RULE = { bidi: 'unicode/bidi-control', 'zero-width': 'unicode/invisible-character' };

function plant(text, line, at) {
  const lines = text.split('\n');
  lines.splice(Math.min(at, lines.length - 1), 0, line);
  return lines.join('\n');
}

/**
 * The files of a PR: `{ path, content }` in a fixed order (content a string or a Buffer), the mix, and
 * the planted lines (`plant` of each kind, one per file picked) with the rule that must report each.
 */
export function generatePr({ seed, counts, plant: planted }) {
  const r = rng(seed);
  const files = [];
  const used = new Set();
  const pkg = r.pick(['spectra', 'graphkit', 'imtools', 'fitlab']);
  const unique = (p) => {
    let q = p;
    for (let i = 2; used.has(q); i++) q = p.replace(/(\.\w+)$/, `_${i}$1`);
    used.add(q);
    return q;
  };
  for (let i = 0; i < counts.py; i++) {
    const test = r.next() < 0.3;
    const dir = test ? `tests/${r.pick(NOUNS)}` : `src/${pkg}/${r.pick(NOUNS)}`;
    const path = unique(`${dir}/${test ? 'test_' : '_'}${ident(r)}.py`);
    files.push({ path, kind: 'py', content: python(r, r.size(MEAN.py), test) });
  }
  for (let i = 0; i < counts.js; i++) {
    const minified = r.next() < 0.02;
    const path = unique(minified ? `js/dist/${r.pick(NOUNS)}.min.js` : `js/src/${r.pick(NOUNS)}/${camel(r)}.js`);
    files.push({ path, kind: 'js', content: javascript(r, r.size(MEAN.js), minified) });
  }
  for (let i = 0; i < counts.json; i++)
    files.push({ path: unique(`data/fixtures/${ident(r)}.json`), kind: 'json', content: json(r, r.size(MEAN.json)) });
  for (let i = 0; i < counts.ipynb; i++)
    files.push({
      path: unique(`docs/examples/${ident(r)}.ipynb`),
      kind: 'ipynb',
      content: notebook(r, r.size(MEAN.ipynb))
    });
  for (let i = 0; i < counts.bin; i++) {
    const ext = r.pick(Object.keys(MAGIC));
    files.push({
      path: unique(`data/${r.pick(NOUNS)}_${i}.${ext}`),
      kind: 'bin',
      content: Buffer.concat([MAGIC[ext], r.bytes(r.size(MEAN.bin))])
    });
  }
  // Planted lines go into Python and JavaScript sources, at a seeded line.
  const sources = files.filter((f) => f.kind === 'py' || f.kind === 'js');
  const plants = [];
  for (const { kind, make } of PLANTS) {
    for (let n = 0; n < planted; n++) {
      const f = sources[r.int(sources.length)];
      const line = make(r, n);
      f.content = plant(f.content, line, 5 + r.int(40));
      const rule = RULE[kind] ?? (line.startsWith('AWS_ACCESS_KEY_ID') ? undefined : 'secrets/credential');
      plants.push({ path: f.path, kind, rule });
    }
  }
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const mix = {};
  for (const f of files) {
    mix[f.kind] ??= { files: 0, bytes: 0 };
    mix[f.kind].files++;
    mix[f.kind].bytes += Buffer.byteLength(f.content);
  }
  const digest = createHash('sha256');
  for (const f of files) digest.update(f.path).update(f.content);
  return { files, bytes, mix, plants, digest: digest.digest('hex') };
}
