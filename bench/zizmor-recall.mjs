// Recall and extra findings of the core's workflow audit on zizmor's own test
// inputs, judged by zizmor's expected outputs (MIT, zizmorcore/zizmor).
// Reads the mirror `fetch github:zizmorcore/zizmor` made (nothing is copied):
// every test of crates/zizmor/tests/integration/audit/*.rs and e2e/anchors.rs
// that runs zizmor offline on files of test-data/ with an inline insta
// snapshot. Each finding in a snapshot (`level[audit]: ...` then
// `--> file:line:col`) is matched to a finding of ours of the mapped rule in
// the same file within 3 lines (one to one, closest first).
//   node bench/zizmor-recall.mjs [--details out.json] [--mirror path]
// Prints per zizmor audit: its findings, how many we report too, our extras
// (findings of a mapped rule zizmor's snapshot does not show), and the audits
// we do not cover. Tests run with a non-default persona are counted apart.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { catFiles } from './lib/git-batch.mjs';
import { loadWorkflowAudit, printTable } from './lib/workflow-audit.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const MIRROR = arg('--mirror') ?? '/work/.mirror/zizmorcore+zizmor/repo';
const PREFIX = 'crates/zizmor/tests/integration';

/** zizmor audit → our rule ids. */
export const MAP = {
  'template-injection': ['workflow/template-injection'],
  'dangerous-triggers': ['workflow/dangerous-trigger'],
  'excessive-permissions': ['workflow/write-permissions', 'workflow/default-permissions'],
  artipacked: ['workflow/checkout-persist-credentials'],
  'unpinned-uses': ['workflow/unpinned-uses'],
  'unpinned-images': ['workflow/unpinned-images'],
  'cache-poisoning': ['workflow/cache-poisoning', 'publish/cache-in-release'],
  'self-hosted-runner': ['workflow/self-hosted-runner'],
  'secrets-inherit': ['workflow/all-secrets'],
  'overprovisioned-secrets': ['workflow/all-secrets'],
  obfuscation: ['workflow/obfuscation'],
  'unsound-condition': ['workflow/unsound-condition'],
  'unsound-contains': ['workflow/unsound-contains'],
  'unsound-ternary': ['workflow/unsound-ternary'],
  'bot-conditions': ['workflow/bot-conditions'],
  'github-env': ['workflow/github-env'],
  'insecure-commands': ['workflow/insecure-commands'],
  'hardcoded-container-credentials': ['workflow/hardcoded-container-credentials'],
  'use-trusted-publishing': ['publish/password', 'workflow/use-trusted-publishing']
};
/** zizmor audits that need the network (not measured). */
const ONLINE = new Set([
  'impostor-commit',
  'known-vulnerable-actions',
  'ref-confusion',
  'ref-version-mismatch',
  'stale-action-refs',
  'archived-uses'
]);
const LEVEL = { error: 'high', warning: 'medium', help: 'low', note: 'info', info: 'info' };

const git = (...a) => execFileSync('git', ['-C', MIRROR, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
/** Every blob at HEAD of the given paths, in one `git cat-file --batch` call. */
function readAll(paths) {
  const blobs = catFiles(
    MIRROR,
    paths.map((p) => `HEAD:${p}`)
  );
  return new Map(paths.map((p, i) => [p, blobs[i].toString('utf8')]));
}

/** The tests of one Rust file that we can replay: inputs, persona, expected findings. */
function testsOf(rust) {
  const out = [];
  for (const block of rust.split(/#\[test\]/).slice(1)) {
    const name = /fn\s+(\w+)/.exec(block)?.[1];
    const inputs = [...block.matchAll(/input_under_test\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
    const args = [...block.matchAll(/\.args\(\[([^\]]*)\]\)/g)].flatMap((m) =>
      [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1])
    );
    const snap = /@r#"([\s\S]*?)"#|@r"([\s\S]*?)"|@"([\s\S]*?)"\s*\)/.exec(block);
    const skip = !snap
      ? 'no inline snapshot'
      : /WorkspaceBuilder|\.config\(|AssertOnline|gh_token\(true\)|\.offline\(false\)|\.stdin\(/.test(block)
        ? 'config, workspace, stdin or online'
        : args.some(
              (a) =>
                a.startsWith('--fix') || a.startsWith('--format') || a.startsWith('--min-') || a.startsWith('--collect')
            )
          ? 'fix, format, filter or collect flags'
          : !inputs.length
            ? 'no input under test'
            : undefined;
    const text = snap ? (snap[1] ?? snap[2] ?? snap[3]) : '';
    const expected = [];
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      const m = /^\s*(error|warning|help|note|info)\[([\w-]+)\]:/.exec(l);
      if (!m) return;
      const loc = lines
        .slice(i + 1, i + 4)
        .map((x) => /-->\s*(\S+):(\d+):(\d+)/.exec(x))
        .find(Boolean);
      if (!loc) return;
      // The span zizmor draws: the line numbers in the gutter of the finding's excerpt.
      let end = Number(loc[2]);
      for (const x of lines.slice(i + 2)) {
        if (/^\s*(error|warning|help|note|info)\[/.test(x) || /^\s*=\s*note/.test(x)) break;
        const g = /^\s*(\d+)\s*\|/.exec(x);
        if (g) end = Math.max(end, Number(g[1]));
      }
      expected.push({ audit: m[2], severity: LEVEL[m[1]], where: loc[1], line: Number(loc[2]), end });
    });
    const persona =
      args.find((a) => a.startsWith('--persona='))?.slice(10) ?? (args.includes('--pedantic') ? 'pedantic' : 'regular');
    out.push({ name, inputs, args, persona, expected, skip });
  }
  return out;
}

/** Files of one input (a file, or every workflow and action file under a folder), relative to test-data. */
function filesOf(input, tree) {
  const base = `${PREFIX}/test-data/${input}`.replace(/\/$/, '');
  if (tree.has(base)) return [base];
  return [...tree].filter(
    (p) =>
      p.startsWith(`${base}/`) &&
      /\.ya?ml$/.test(p) &&
      (/\.github\/workflows\/[^/]+$/.test(p) || /(^|\/)action\.ya?ml$/.test(p))
  );
}

export async function run() {
  let head;
  try {
    head = git('rev-parse', 'HEAD').trim();
  } catch {
    return {
      title: 'Workflow audit vs zizmor test inputs',
      rows: [{ result: `not checked: no zizmor mirror at ${MIRROR}`, ok: false }]
    };
  }
  const { module: wa } = await loadWorkflowAudit();
  const tree = new Set(git('ls-tree', '-r', '--name-only', 'HEAD', `${PREFIX}/test-data`).split('\n').filter(Boolean));
  const blobs = readAll([...tree]);
  const rustFiles = git('ls-tree', '--name-only', 'HEAD', `${PREFIX}/audit/`)
    .split('\n')
    .filter((f) => f.endsWith('.rs'));
  const tests = [...rustFiles, `${PREFIX}/e2e/anchors.rs`].flatMap((f) =>
    testsOf(git('show', `HEAD:${f}`)).map((t) => ({ ...t, file: f }))
  );
  const seen = new Set();
  const stats = {};
  const stat = (audit) =>
    (stats[audit] ??= { regular: { expected: 0, matched: 0, extra: 0 }, other: { expected: 0, matched: 0, extra: 0 } });
  const details = { mirror: head, missed: [], extra: [], skipped: [], ours: [] };
  for (const t of tests) {
    if (t.skip) {
      details.skipped.push(`${t.file}:${t.name}: ${t.skip}`);
      continue;
    }
    const key = `${t.inputs.join(',')}|${t.persona}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const paths = t.inputs.flatMap((i) => filesOf(i, tree));
    const sources = paths.map((p) => ({ path: p.slice(`${PREFIX}/test-data/`.length), text: blobs.get(p) }));
    const result = wa.auditWorkflows(sources);
    const single = t.inputs.length === 1 && tree.has(`${PREFIX}/test-data/${t.inputs[0]}`);
    const fileOf = (where) => {
      const rel = where
        .replace(/^@@INPUT@@/, single ? t.inputs[0] : t.inputs[0].replace(/\/$/, ''))
        .replace(/^@@TEST_PREFIX@@\//, '');
      return rel.replace(/\/\//g, '/');
    };
    const bucket = t.persona === 'regular' ? 'regular' : 'other';
    const ours = result.findings.map((f) => ({ f, used: false }));
    const expected = t.expected
      .filter((e) => !ONLINE.has(e.audit))
      .map((e) => ({ ...e, file: fileOf(e.where), match: undefined }));
    // Ours at the line zizmor names, within 3 lines of it, or inside the span it draws (or through an
    // alias there); pairs are taken closest first, the same severity breaking ties.
    const pairs = [];
    for (const e of expected) {
      const near = (line) => (line >= e.line - 3 && line <= e.end + 1 ? Math.abs(line - e.line) : Infinity);
      for (const o of ours) {
        if (!(MAP[e.audit] ?? []).includes(o.f.ruleId) || o.f.location?.file !== e.file) continue;
        const d = Math.min(near(o.f.location?.line ?? 0), near(o.f.properties?.aliasLine ?? -99));
        if (d < Infinity) pairs.push({ e, o, d: d + (o.f.severity === e.severity ? 0 : 0.5) });
      }
    }
    for (const { e, o } of pairs.sort((a, b) => a.d - b.d)) {
      if (e.match || o.used) continue;
      e.match = o;
      o.used = true;
    }
    for (const e of expected) {
      const s = stat(e.audit)[bucket];
      s.expected++;
      if (e.match) s.matched++;
      else if (MAP[e.audit]) details.missed.push({ test: `${t.file}:${t.name}`, persona: t.persona, ...e });
    }
    const zizmorOf = (rule) =>
      Object.entries(MAP)
        .filter(([, rs]) => rs.includes(rule))
        .map(([z]) => z);
    const text = new Map(sources.map((x) => [x.path, x.text.split('\n')]));
    // A finding the input silences with `# zizmor: ignore[audit]`: on its lines, or on the header of the block it is in.
    const ignored = (f, zs) =>
      [f.location?.line, f.properties?.aliasLine].some((l) => {
        const lines = text.get(f.location?.file) ?? [];
        const re = new RegExp(`zizmor: ignore\\[[^\\]]*\\b(${zs.join('|')})\\b`);
        if (!l) return false;
        if (lines.slice(Math.max(0, l - 3), l + 2).some((x) => re.test(x))) return true;
        const header = lines
          .slice(Math.max(0, l - 15), l)
          .reverse()
          .find((x) => /:\s*[|>][-+]?\s*(#.*)?$/.test(x));
        return !!header && re.test(header);
      });
    for (const o of ours) {
      if (o.used) continue;
      const zs = zizmorOf(o.f.ruleId);
      if (zs.length && ignored(o.f, zs)) continue;
      const entry = {
        test: `${t.file}:${t.name}`,
        persona: t.persona,
        rule: o.f.ruleId,
        severity: o.f.severity,
        file: o.f.location?.file,
        line: o.f.location?.line,
        message: o.f.message
      };
      if (zs.length) {
        stat(zs[0])[bucket].extra++;
        details.extra.push({ zizmor: zs[0], ...entry });
      } else details.ours.push(entry);
    }
  }
  const rows = Object.entries(stats)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([audit, s]) => ({
      'zizmor audit': audit,
      ours: MAP[audit]?.join(', ') ?? (ONLINE.has(audit) ? 'online' : 'not covered'),
      'expected (default persona)': s.regular.expected,
      'found (default persona)': s.regular.matched,
      'extra (default persona)': s.regular.extra,
      'expected (other personas)': s.other.expected,
      'found (other personas)': s.other.matched,
      'extra (other personas)': s.other.extra
    }));
  const covered = rows.filter((r) => MAP[r['zizmor audit']]);
  const sum = (k) => covered.reduce((n, r) => n + r[k], 0);
  rows.push({
    'zizmor audit': 'all covered audits',
    ours: `${covered.length} audits`,
    'expected (default persona)': sum('expected (default persona)'),
    'found (default persona)': sum('found (default persona)'),
    'extra (default persona)': sum('extra (default persona)'),
    'expected (other personas)': sum('expected (other personas)'),
    'found (other personas)': sum('found (other personas)'),
    'extra (other personas)': sum('extra (other personas)')
  });
  const out = arg('--details');
  if (out) writeFileSync(out, JSON.stringify(details, null, 1));
  return { title: `Workflow audit vs zizmor's test inputs (zizmorcore/zizmor@${head.slice(0, 12)})`, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await run());
