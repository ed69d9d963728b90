// Regenerates packages/core/data/pypi-names.json, the data of the typosquat check:
//   targets      the 5,000 most downloaded PyPI projects (most downloaded first): the names worth imitating;
//   established  every other established name that sits one typo from a target (so the check would
//                otherwise report it): the rest of the top 15,000 PyPI projects, and conda-forge's packages
//                (a human reviews each new conda-forge feedstock, which is where scientific Python's small
//                projects live: uarray, pyamg, cdflib, pygraphviz, sphinx-tags are all there).
// Only the established names near a target are stored: the others can never be reported, so the data
// stay small. Regenerate after changing the matching rules in packages/core/src/typosquat.ts (a new kind
// of typo can reach established names this file does not list) and when the sources are refreshed:
//   node scripts/typosquat-data.mjs [top-pypi-packages repo] [feedstock-outputs repo]
// The sources are the mirrors that `fetch github:hugovk/top-pypi-packages` and
// `fetch github:conda-forge/feedstock-outputs` make (bare git, read with `git show` / `git ls-tree`).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../bench/lib/mirrors.mjs';

const TARGETS = 5000;
const topRepo = process.argv[2] ?? '/work/.mirror/hugovk+top-pypi-packages/repo';
const condaRepo = process.argv[3] ?? '/work/.mirror/conda-forge+feedstock-outputs/repo';
const git = (repo, ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const normalize = (n) => n.replace(/[-_.]+/g, '-').toLowerCase();

const top = JSON.parse(git(topRepo, 'show', 'HEAD:top-pypi-packages.min.json'));
const ranked = [...new Set(top.rows.map((r) => normalize(r.project)))];
const conda = git(condaRepo, 'ls-tree', '-r', '--name-only', 'HEAD', 'outputs/')
  .split('\n')
  .filter((p) => p.endsWith('.json'))
  .map((p) => normalize(p.slice(p.lastIndexOf('/') + 1, -'.json'.length)));

const { TyposquatIndex } = await load('packages/core/src/typosquat.ts');
const targets = ranked.slice(0, TARGETS);
const bare = new TyposquatIndex(targets);
const others = [...new Set([...ranked.slice(TARGETS), ...conda])].filter((n) => !targets.includes(n));
const established = others.filter((n) => bare.match(n)).sort();

const commit = (repo) => git(repo, 'rev-parse', 'HEAD').trim();
const out = {
  description:
    'Typosquat data (scripts/typosquat-data.mjs): `targets`, the most downloaded PyPI projects, most downloaded first; `established`, the other established names one typo from a target (never reported). Both newline-separated, PEP 503-normalised.',
  sources: [
    {
      name: 'hugovk/top-pypi-packages',
      commit: commit(topRepo),
      file: 'top-pypi-packages.min.json',
      snapshot: top.last_update,
      used: `${ranked.length} projects by downloads in the 30 days before the snapshot: the first ${TARGETS} as targets, the rest as established names`,
      licence:
        'no licence file in the repository; the figures are public PyPI download statistics (BigQuery). Attribution: Hugo van Kemenade, Top PyPI Packages, https://github.com/hugovk/top-pypi-packages'
    },
    {
      name: 'conda-forge/feedstock-outputs',
      commit: commit(condaRepo),
      file: 'outputs/**/*.json (file names)',
      used: `${conda.length} conda-forge package names, as established names`,
      licence: 'BSD-3-Clause, Copyright (c) 2020, conda-forge'
    }
  ],
  targets: targets.join('\n'),
  established: established.join('\n')
};
const path = join(import.meta.dirname, '..', 'packages', 'core', 'data', 'pypi-names.json');
writeFileSync(path, JSON.stringify(out, null, 1) + '\n');
console.log(
  `${targets.length} targets; ${established.length} established names one typo from a target (of ${others.length}) -> ${path}`
);
