// verify-deps' Python checks (pinning and typosquats, offline) on the trees of real projects: findings per rule
// at medium and above, errors, and (with --list) every finding, for judging precision by hand.
// Reads the mirrors under /work/.mirror (bare git; `fetch` github:owner/name to add one): the Python dependency
// files of HEAD (and every .txt/.in a requirements file may include) are written to a scratch directory and
// collected the way the action collects them. Usage:
//   node bench/pydeps-eval.mjs [owner+name ...] [--list] [--low] [--json FILE]
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MIRRORS, blobs, git, headOf, load, repoDir } from './lib/mirrors.mjs';

const root = join(import.meta.dirname, '..');

// One bundle of the pieces the action runs: file discovery (main.ts), the engine, the empty policy.
const entry = join(root, 'bench', '.pydeps-entry.ts');
writeFileSync(
  entry,
  [
    "export { collectFiles } from '../actions/verify-deps/src/main';",
    "export { verifyDeps } from '../actions/verify-deps/src/engine';",
    "export { EMPTY_POLICY } from '../actions/verify-deps/src/policy';",
    "export { pythonFileKind } from '@security-actions/core';"
  ].join('\n')
);
const vd = await load('bench/.pydeps-entry.ts').finally(() => rmSync(entry));

/** The evaluation; `npm run bench` gets the totals per rule (an empty table without the mirrors). */
export async function run({ named = [], list = false, low = false, json = undefined, log = () => {} } = {}) {
  const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
  const min = low ? 'low' : 'medium';
  const counted = (f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(min);

  const repos = (named.length ? named : existsSync(MIRRORS) ? readdirSync(MIRRORS) : [])
    .filter((n) => n.includes('+'))
    .sort((a, b) => a.localeCompare(b));
  const scratch = join(tmpdir(), 'pydeps-eval');
  const totals = new Map();
  const perRepo = [];
  const all = [];
  for (const name of repos) {
    const repo = repoDir(name);
    let commit;
    try {
      commit = headOf(repo);
    } catch {
      continue; // not a mirror with a HEAD
    }
    const dir = join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    let written = 0;
    // Symbolic links (mode 120000) are blobs holding the target: recreate them as links, as a checkout has them.
    const links = new Set(
      git(repo, 'ls-tree', '-r', '-z', 'HEAD')
        .toString()
        .split('\0')
        .filter((l) => l.startsWith('120000 '))
        .map((l) => l.slice(l.indexOf('\t') + 1))
    );
    for await (const b of blobs(repo)) {
      // Workflows too: a requirements file that a publishing workflow installs is judged as release input.
      if (
        !vd.pythonFileKind(b.path) &&
        !/\.(txt|in)$/.test(b.path) &&
        !/(^\.github\/workflows\/|(^|\/)action)[^/]*\.ya?ml$/.test(b.path)
      )
        continue;
      mkdirSync(join(dir, dirname(b.path)), { recursive: true });
      if (links.has(b.path)) symlinkSync(b.bytes.toString(), join(dir, b.path));
      else writeFileSync(join(dir, b.path), b.bytes);
      written++;
    }
    if (!written) continue;
    const files = await vd.collectFiles(dir, []);
    if (!files.python.length) continue;
    const started = performance.now();
    const r = await vd.verifyDeps(
      { python: files.python, actions: files.actions },
      {
        checks: new Set(['pinning', 'typosquats']),
        offline: true,
        provenance: 'off',
        policy: vd.EMPTY_POLICY,
        now: new Date()
      }
    );
    const ms = performance.now() - started;
    const findings = r.findings.filter(counted);
    const byRule = {};
    for (const f of findings) {
      byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
      totals.set(f.ruleId, (totals.get(f.ruleId) ?? 0) + 1);
      all.push({
        repo: name,
        commit,
        rule: f.ruleId,
        severity: f.severity,
        file: f.location?.file,
        line: f.location?.line,
        message: f.message
      });
    }
    // A file that does not parse is not checked (and fails the run): count it with the errors.
    const errors = [...files.errors, ...(r.errors ?? []), ...r.notChecked.filter((n) => n.input).map((n) => n.reason)];
    perRepo.push({ name, commit, files: files.python.length, byRule, errors, notes: r.notes ?? [], ms });
    log(
      `${name.padEnd(34)} ${commit.slice(0, 12)}  ${String(files.python.length).padStart(3)} files  ${String(findings.length).padStart(4)} at ${min}+  ${Object.entries(
        byRule
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}${errors.length ? `  [${errors.length} error(s)]` : ''}`
    );
    for (const e of errors) log(`    error: ${e}`);
    if (list) {
      for (const f of findings)
        log(`    ${f.severity.padEnd(8)} ${f.ruleId}  ${f.location?.file}:${f.location?.line}  ${f.message}`);
      for (const n of r.notes ?? []) log(`    note: ${n}`);
    }
  }
  log(`\nTotal at ${min} and above, ${perRepo.length} projects:`);
  for (const [rule, n] of [...totals].sort((a, b) => b[1] - a[1])) log(`  ${rule.padEnd(26)} ${n}`);
  log(`  unreadable files, errors   ${perRepo.reduce((n, p) => n + p.errors.length, 0)}`);
  if (json) writeFileSync(json, JSON.stringify({ projects: perRepo, findings: all }, null, 2) + '\n');
  const rows = [...totals].map(([rule, n]) => ({ rule, [`findings at ${min}+`]: n }));
  return {
    title: `verify-deps Python checks on ${perRepo.length} real projects (bench/pydeps-eval.mjs)`,
    rows: rows.length ? rows : [{ rule: '(no mirror found)', [`findings at ${min}+`]: 0 }]
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const LIST = args.includes('--list');
  const LOW = args.includes('--low');
  const jsonAt = args.indexOf('--json');
  const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const named = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
  await run({ named, list: LIST, low: LOW, json: JSON_OUT, log: console.log });
}
