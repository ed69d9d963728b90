// The content analysers (packages/core/src/content) measured on public data:
//   samples  recall per rule on GuardDog's annotated source samples (v2 `# ruleid:` / `# ok:` cases,
//            v3 positive and benign files) and on SAP's install-time execution proofs of concept
//   trees    findings at medium and above on real scientific repositories, per rule, for review
//   history  the last 100 merges of six projects as PRs: share with a content finding at medium or above
//   speed    CPU MB/s of analyseAdded on a mixed PR built from real files (issue 15's mix, scaled down)
// Needs the mirrors under /work/.mirror (fetch github:DataDog/guarddog, github:SAP-samples/risk-explorer-execution-pocs,
// and the scientific repositories). Usage: node bench/content-eval.mjs [samples] [trees] [history] [speed] [--list] [--low]
// Under `npm run bench` (run()), the samples part: recall per GuardDog rule, target at least GuardDog's own (every
// annotated case) at any severity, and no false alarm at medium on its `ok:` cases.
import { existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MIRRORS, blobs, git, headOf, load, ls, pick, readAll, repoDir, show } from './lib/mirrors.mjs';

const args = process.argv.slice(2);
const parts = args.filter((a) => !a.startsWith('--'));
const want = (p) => !parts.length || parts.includes(p);
const LIST = args.includes('--list');
const LOW = args.includes('--low');

const content = await load('packages/core/src/content/index.ts');

const atLeast = (sev, min) =>
  ['info', 'low', 'medium', 'high', 'critical'].indexOf(sev) >=
  ['info', 'low', 'medium', 'high', 'critical'].indexOf(min);
const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '–');

// --- samples -------------------------------------------------------------------------------------------
// GuardDog rule → the rules of ours that cover it, and the path its sample is scanned as (the v2 rules
// code-execution and cmd-overwrite apply to setup.py, npm-install-script to package.json).
const OBF = [
  'obfuscation/encoded-exec',
  'obfuscation/indirect-call',
  'obfuscation/char-code-chain',
  'obfuscation/packer',
  'obfuscation/hidden-code',
  'obfuscation/decompress-literal',
  'obfuscation/long-encoded-literal',
  'obfuscation/shell-decode-exec'
];
const V2 = {
  'exec-base64': { ours: ['obfuscation/encoded-exec'], as: 'pkg/mod.py' },
  'download-executable': { ours: ['code/download-exec'], as: 'pkg/mod.py' },
  'exfiltrate-sensitive-data': { ours: ['code/exfiltration'], as: 'pkg/mod.py' },
  'shady-links': { ours: ['code/shady-link'], as: 'pkg/mod.py' },
  'cmd-overwrite': { ours: ['code/install-hook'], as: 'setup.py' },
  'code-execution': {
    ours: ['code/install-hook', 'obfuscation/encoded-exec', 'obfuscation/indirect-call', 'code/download-exec'],
    as: 'setup.py'
  },
  'silent-process-execution': { ours: ['code/silent-process'], as: 'pkg/mod.py' },
  steganography: { ours: ['code/steganography'], as: 'pkg/mod.py' },
  obfuscation: { ours: OBF, as: 'pkg/mod.py' },
  'api-obfuscation': { ours: ['obfuscation/indirect-call'], as: 'pkg/mod.py' },
  'npm-exec-base64': { ours: ['obfuscation/encoded-exec'], as: 'src/index.js' },
  'npm-exfiltrate-sensitive-data': { ours: ['code/exfiltration'], as: 'src/index.js' },
  'npm-serialize-environment': { ours: ['code/exfiltration'], as: 'src/index.js' },
  'npm-silent-process-execution': { ours: ['code/silent-process'], as: 'src/index.js' },
  'npm-steganography': {
    ours: ['code/steganography', 'code/download-exec', 'obfuscation/encoded-exec'],
    as: 'src/index.js'
  },
  'npm-obfuscation': { ours: OBF, as: 'src/index.js' },
  'npm-api-obfuscation': { ours: ['obfuscation/indirect-call'], as: 'src/index.js' },
  'npm-install-script': { ours: ['code/install-hook'], as: 'package.json' }
};
// v3 YARA rules whose concern is in scope, with the rules of ours that cover it.
const V3 = {
  'threat-runtime-obfuscation-base64exec': ['obfuscation/encoded-exec'],
  'threat-process-download-exec': ['code/download-exec'],
  'threat-network-exfiltration': ['code/exfiltration', 'code/shady-link'],
  'threat-network-outbound-shady-links': ['code/shady-link'],
  'threat-runtime-obfuscation-steganography': ['code/steganography'],
  'threat-runtime-obfuscation': OBF,
  'threat-runtime-obfuscation-js-mangling': OBF,
  'threat-runtime-obfuscation-hidden-code': OBF,
  'threat-runtime-obfuscation-dynamic-eval': OBF,
  'threat-runtime-obfuscation-pyarmor': ['obfuscation/packer'],
  'threat-runtime-obfuscation-api': ['obfuscation/indirect-call'],
  'threat-runtime-obfuscation-general': OBF,
  'threat-runtime-environment-read': ['code/exfiltration'],
  'threat-process-hooks': ['code/install-hook'],
  'threat-setup-import-aliasing': ['code/install-hook'],
  'threat-filesystem-read': ['code/exfiltration']
};

/** Cases of a semgrep test file: each `ruleid:`/`ok:` annotation and the statement after it (bracket-balanced). */
function cases(text, rule) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /(?:#|\/\/)\s*(todoruleid|ruleid|todook|ok)\s*:\s*([\w-]+)/.exec(lines[i]);
    if (!m || m[2] !== rule) continue;
    let j = i + 1;
    while (j < lines.length && /^\s*(#|\/\/|$)/.test(lines[j]) && !/(?:ruleid|ok):/.test(lines[j])) j++;
    let depth = 0;
    let k = j;
    for (; k < lines.length; k++) {
      for (const c of lines[k].replace(/(["'])(?:\\.|(?!\1).)*\1/g, ''))
        depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
      if (depth <= 0 && k >= j) break;
    }
    out.push({ kind: m[1], from: j + 1, to: k + 1, line: lines[j]?.trim() ?? '' });
  }
  return out;
}

/** A sample as a PR that adds the whole file would show it (the PR scan's view of malicious code). */
const added = (path, text) =>
  content.analyseAdded(
    path,
    text.split('\n').map((t, i) => ({ line: i + 1, text: t }))
  );

function samples() {
  const gd = repoDir('DataDog+guarddog');
  const dir = 'tests/analyzer/sourcecode';
  const rows = [];
  console.log(`GuardDog ${headOf(gd).slice(0, 12)} (${dir})\n`);
  console.log(
    '| GuardDog rule (v2, annotated) | cases | found (any) | found (≥ medium) | ok cases | false alarms (≥ medium) |'
  );
  console.log('|---|---|---|---|---|---|');
  let tot = { n: 0, any: 0, med: 0, ok: 0, fa: 0 };
  for (const [rule, { ours, as }] of Object.entries(V2)) {
    const file = ls(gd, dir).find((p) => p.slice(dir.length + 1).startsWith(`${rule}.`));
    if (!file) continue;
    const text = show(gd, file);
    const findings = added(as, text).filter((f) => ours.includes(f.ruleId));
    const cs = cases(text, rule);
    const hit = (c, min) =>
      findings.some((f) => f.location.line >= c.from && f.location.line <= c.to && atLeast(f.severity, min));
    const pos = cs.filter((c) => c.kind === 'ruleid');
    const neg = cs.filter((c) => c.kind === 'ok');
    const r = {
      n: pos.length,
      any: pos.filter((c) => hit(c, 'low')).length,
      med: pos.filter((c) => hit(c, 'medium')).length,
      ok: neg.length,
      fa: neg.filter((c) => hit(c, 'medium')).length
    };
    for (const k of Object.keys(tot)) tot[k] += r[k];
    console.log(
      `| \`${rule}\` | ${r.n} | ${r.any} (${pct(r.any, r.n)}) | ${r.med} (${pct(r.med, r.n)}) | ${r.ok} | ${r.fa} |`
    );
    if (LIST)
      for (const c of pos.filter((c) => !hit(c, 'low')))
        console.log(`    missed ${file}:${c.from}: ${c.line.slice(0, 100)}`);
    if (LIST)
      for (const c of neg.filter((c) => hit(c, 'medium')))
        console.log(`    false alarm ${file}:${c.from}: ${c.line.slice(0, 100)}`);
    rows.push({ rule, ...r });
  }
  console.log(
    `| **total** | ${tot.n} | ${tot.any} (${pct(tot.any, tot.n)}) | ${tot.med} (${pct(tot.med, tot.n)}) | ${tot.ok} | ${tot.fa} |\n`
  );

  console.log(
    '| GuardDog rule (v3, file-level) | positive file found (any / ≥ medium) | benign file quiet (< medium) |'
  );
  console.log('|---|---|---|');
  for (const [rule, ours] of Object.entries(V3)) {
    const pos = ls(gd, dir).filter((p) => p.slice(dir.length + 1).startsWith(`${rule}.`));
    const ben = ls(gd, `${dir}/benign`).filter((p) => p.slice(dir.length + 8).startsWith(`${rule}.`));
    const scan = (p) => {
      const name = p.endsWith('.json')
        ? 'package.json'
        : /setup|hooks|aliasing/.test(rule) && p.endsWith('.py')
          ? 'setup.py'
          : `pkg/${p.split('/').pop()}`;
      return added(name, show(gd, p)).filter((f) => ours.includes(f.ruleId));
    };
    const found = pos.map((p) => scan(p));
    const any = found.length ? found.every((f) => f.length) : undefined;
    const med = found.length ? found.every((f) => f.some((x) => atLeast(x.severity, 'medium'))) : undefined;
    const quiet = ben.map((p) => scan(p).filter((f) => atLeast(f.severity, 'medium')));
    console.log(
      `| \`${rule}\` | ${any === undefined ? '–' : `${any ? 'yes' : 'no'} / ${med ? 'yes' : 'no'}`} | ${
        quiet.length
          ? quiet.every((q) => !q.length)
            ? 'yes'
            : `no (${quiet
                .flat()
                .map((f) => f.ruleId)
                .join(', ')})`
          : '–'
      } |`
    );
  }

  const sap = repoDir('SAP-samples+risk-explorer-execution-pocs');
  const pocs = ls(sap, 'install-time').filter((p) => /(?:package\.json|setup\.py)$/.test(p));
  const sapFound = pocs.filter((p) =>
    added(p.split('/').pop(), show(sap, p)).some((f) => f.ruleId === 'code/install-hook')
  );
  console.log(
    `\nSAP risk-explorer-execution-pocs ${headOf(sap).slice(0, 12)}: install-time PoCs (npm, setup.py) flagged code/install-hook: ${sapFound.length}/${pocs.length}`
  );
  if (LIST) for (const p of pocs.filter((p) => !sapFound.includes(p))) console.log(`    missed ${p}`);
  return rows;
}

// --- trees ------------------------------------------------------------------------------------------------
// Real scientific repositories (not the incident or tool repositories among the mirrors).
const NOT_SCIENTIFIC =
  /^(?:DataDog\+guarddog|SAP-samples\+.*|tj-actions\+.*|reviewdog\+.*|ultralytics\+.*|tukaani-project\+xz|zizmorcore\+zizmor|pypa\+gh-action-pypi-publish)$/;

async function trees() {
  const names = readdirSync(MIRRORS).filter((n) => !NOT_SCIENTIFIC.test(n) && existsSync(repoDir(n)));
  const byRule = new Map();
  const listed = [];
  let textBytes = 0;
  let textMs = 0;
  let files = 0;
  console.log('| repository | commit | files | MB | findings ≥ medium | high or critical |');
  console.log('|---|---|---|---|---|---|');
  for (const name of names) {
    const repo = repoDir(name);
    let n = 0;
    let mb = 0;
    let medium = 0;
    let high = 0;
    for await (const { path, bytes } of blobs(repo)) {
      n++;
      mb += bytes.length;
      const binary = content.isBinary(bytes);
      const t0 = process.cpuUsage();
      const found = await content.analyseFile(path, bytes);
      const cpu = process.cpuUsage(t0);
      if (!binary) {
        textMs += (cpu.user + cpu.system) / 1000;
        textBytes += bytes.length;
      }
      for (const f of found) {
        if (!atLeast(f.severity, LOW ? 'low' : 'medium')) continue;
        medium++;
        if (atLeast(f.severity, 'high')) high++;
        byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
        listed.push(
          `${f.severity.padEnd(8)} ${f.ruleId.padEnd(32)} ${name}:${f.location.file}:${f.location.line ?? ''}  ${f.message}  | ${(f.evidence ?? '').slice(0, 140)}`
        );
      }
    }
    files += n;
    console.log(
      `| ${name.replace('+', '/')} | ${headOf(repo).slice(0, 12)} | ${n} | ${(mb / 1e6).toFixed(1)} | ${medium} | ${high} |`
    );
  }
  console.log(
    `\n${files} files; text files analysed at ${(textBytes / 1e6 / (textMs / 1000)).toFixed(0)} MB/s of CPU time, decoding included, first pass (${(textBytes / 1e6).toFixed(0)} MB in ${(textMs / 1000).toFixed(2)} s)\n`
  );
  console.log('| rule | findings ≥ medium |\n|---|---|');
  for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`| \`${rule}\` | ${n} |`);
  if (LIST) console.log(`\n${listed.join('\n')}`);
}

// --- speed ---------------------------------------------------------------------------------------------------
/**
 * A realistic mixed PR, built from real files of the mirrors in the
 * proportions of issue 15's 10,000-file PR scaled down ten times: 550 .py,
 * 250 .js/.ts, 120 .json, 75 notebooks whose outputs are real PNG figures
 * (base64), Greek and accented text from SymPy and Astropy, 5 binaries.
 */
async function mixedPr() {
  const all = async (name, re, n) => pick(await readAll(repoDir(name), (p) => re.test(p), 100_000), n);
  const py = [
    ...(await all('numpy+numpy', /\.py$/, 200)),
    ...(await all('scipy+scipy', /\.py$/, 150)),
    ...(await all('astropy+astropy', /\.py$/, 100)),
    ...(await all('sympy+sympy', /\.py$/, 100))
  ];
  const js = await all('jupyterlab+jupyterlab', /\.(?:js|ts|tsx)$/, 250);
  const json = await all('jupyterlab+jupyterlab', /\.json$/, 120);
  const pngs = (await all('scikit-image+scikit-image', /\.png$/, 40)).filter((b) => content.isBinary(b.bytes));
  const cells = py.slice(0, 75).map((b) => b.bytes.toString('utf8').split('\n').slice(0, 40));
  const notebooks = cells.map((src, k) => ({
    path: `docs/examples/nb${k}.ipynb`,
    bytes: Buffer.from(
      JSON.stringify(
        {
          cells: [0, 1].map((c) => ({
            cell_type: 'code',
            execution_count: c + 1,
            metadata: {},
            outputs: [
              {
                data: { 'image/png': pngs[(k + c) % pngs.length].bytes.toString('base64'), 'text/plain': ['<Figure>'] },
                metadata: {},
                output_type: 'display_data'
              }
            ],
            source: src.map((l) => `${l}\n`)
          })),
          metadata: {},
          nbformat: 4,
          nbformat_minor: 5
        },
        null,
        1
      )
    )
  }));
  const texts = [...py, ...js, ...json, ...notebooks].map((b) => {
    const text = b.bytes.toString('utf8');
    const lines = text.split('\n').map((t, i) => ({ line: i + 1, text: t }));
    return { path: b.path, lines, joined: lines.map((l) => l.text).join('\n'), size: b.bytes.length };
  });
  return { texts, binaries: pngs.slice(0, 5) };
}

async function speed() {
  const { texts, binaries } = await mixedPr();
  const mb = texts.reduce((a, t) => a + t.size, 0) / 1e6;
  const counts = ['.py', '.js', '.ts', '.tsx', '.json', '.ipynb'].map(
    (e) => `${texts.filter((t) => t.path.endsWith(e)).length} ${e}`
  );
  const nonAscii = texts.filter((t) => Buffer.byteLength(t.joined) !== t.joined.length).length;
  console.log(
    `Mixed PR: ${texts.length} text files, ${mb.toFixed(1)} MB (${counts.join(', ')}; ${nonAscii} with non-ASCII text), ${binaries.length} binaries`
  );
  const cpu = (fn) => {
    const c0 = process.cpuUsage();
    const r = fn();
    const d = process.cpuUsage(c0);
    return [(d.user + d.system) / 1e6, r];
  };
  const anchor = () => {
    let n = 0;
    for (const t of texts) for (let i = t.joined.indexOf('\n'); i !== -1; i = t.joined.indexOf('\n', i + 1)) n++;
    return n;
  };
  const run = () => texts.reduce((n, t) => n + content.analyseAdded(t.path, t.lines, { joined: t.joined }).length, 0);
  run(); // warm-up: JIT and regex compilation, as a long-running scan would have
  const rows = [];
  for (let r = 0; r < 5; r++) {
    const [s, findings] = cpu(run);
    const [a] = cpu(anchor);
    rows.push({ mbs: mb / s, anchor: mb / a, findings });
  }
  rows.sort((x, y) => x.mbs - y.mbs);
  const mid = rows[2];
  console.log(
    `analyseAdded: median ${mid.mbs.toFixed(0)} MB/s of CPU (runs ${rows.map((r) => r.mbs.toFixed(0)).join(', ')}); anchor (one native newline scan of the same text) ${mid.anchor.toFixed(0)} MB/s, ratio ${(mid.mbs / mid.anchor).toFixed(2)}; ${mid.findings} findings`
  );
  const [bs] = cpu(() => binaries.map((b) => content.isBinary(b.bytes)));
  console.log(`binary test of ${binaries.length} files: ${(bs * 1000).toFixed(1)} ms`);
}

// --- history ---------------------------------------------------------------------------------------------------
const HISTORY = [
  'numpy+numpy',
  'scipy+scipy',
  'jupyterlab+jupyterlab',
  'pydata+xarray',
  'astropy+astropy',
  'napari+napari'
];

/** The added lines of each text file of one commit's first-parent diff (`git diff -U0`), as the PR scan sees them. */
function addedByFile(repo, sha) {
  let out;
  try {
    out = git(repo, 'diff', '-U0', '--no-color', '--no-renames', `${sha}^1`, sha).toString('utf8');
  } catch {
    return undefined; // a partial mirror without the parent's objects
  }
  const files = new Map();
  let path;
  let line = 0;
  for (const l of out.split('\n')) {
    if (l.startsWith('+++ ')) path = l === '+++ /dev/null' ? undefined : l.slice(6);
    else if (l.startsWith('@@')) line = Number(/\+(\d+)/.exec(l)[1]);
    else if (path && l.startsWith('+')) {
      if (!files.has(path)) files.set(path, []);
      files.get(path).push({ line: line++, text: l.slice(1) });
    }
  }
  return files;
}

/** The last 100 merges of several projects' default branches, each as a PR: how many raise a content finding at medium or above. */
function history() {
  console.log(
    '| repository | merged changes scanned | added lines | with a finding ≥ medium | high or critical | findings at low |\n|---|---|---|---|---|---|'
  );
  const listed = [];
  for (const name of HISTORY) {
    const repo = repoDir(name);
    const merges = git(repo, 'log', '--first-parent', '--format=%H', '-n', '100', 'HEAD')
      .toString()
      .split('\n')
      .filter(Boolean);
    let scanned = 0;
    let flagged = 0;
    let high = 0;
    let lines = 0;
    let low = 0;
    for (const sha of merges) {
      const files = addedByFile(repo, sha);
      if (!files) continue;
      scanned++;
      for (const l of files.values()) lines += l.length;
      const all = [...files].flatMap(([path, added]) => content.analyseAdded(path, added));
      low += all.filter((f) => f.severity === 'low').length;
      const found = all.filter((f) => atLeast(f.severity, 'medium'));
      if (found.length) flagged++;
      if (found.some((f) => atLeast(f.severity, 'high'))) high++;
      for (const f of found)
        listed.push(
          `${f.severity.padEnd(8)} ${f.ruleId.padEnd(32)} ${name}@${sha.slice(0, 10)}:${f.location.file}:${f.location.line}  ${f.message}`
        );
    }
    console.log(
      `| ${name.replace('+', '/')} | ${scanned} | ${lines} | ${flagged} (${pct(flagged, scanned)}) | ${high} | ${low} |`
    );
  }
  if (LIST) console.log(`\n${listed.join('\n')}`);
}

/** Under `npm run bench`: the GuardDog samples, one row per rule (GuardDog finds every `ruleid:` case of its own tests). */
export async function run() {
  const rows = samples().map((r) => ({
    'GuardDog rule': r.rule,
    cases: r.n,
    'found (any)': `${r.any} (${pct(r.any, r.n)})`,
    'found (≥ medium)': `${r.med} (${pct(r.med, r.n)})`,
    'false alarms on ok cases': `${r.fa} of ${r.ok}`,
    target: 'every case found, no false alarm',
    ok: r.any === r.n && r.fa === 0
  }));
  return { title: 'Content analysers on GuardDog annotated samples (recall per rule)', rows };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (want('samples')) samples();
  if (want('history')) history();
  if (want('trees')) await trees();
  if (want('speed')) await speed();
}
