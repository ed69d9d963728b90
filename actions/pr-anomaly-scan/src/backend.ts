// The build backend of a pyproject.toml, base against head: which code builds
// the package. A new package on a known backend is ordinary (a monorepo adds
// sub-packages); a backend switched, an unknown one, or `backend-path` (the
// backend loaded from the repository itself) is what a reviewer must see.
import { type Finding, createFinding } from '@security-actions/core';
import { short } from './lines';
import { RULES as R } from './rules';

/** Backends of the packaging tools scientific Python uses (module names, as `build-backend` writes them). */
const KNOWN = new Set([
  'setuptools.build_meta',
  'setuptools.build_meta:__legacy__',
  'hatchling.build',
  'flit_core.buildapi',
  'mesonpy',
  'scikit_build_core.build',
  'pdm.backend',
  'pdm.pep517.api',
  'poetry.core.masonry.api',
  'poetry.masonry.api',
  'maturin',
  'uv_build',
  'sipbuild.api',
  'enscons.api',
  'whey',
  'flit.buildapi',
  'jupyter_packaging.build_api'
]);

interface Backend {
  backend?: string;
  line?: number;
  /** `backend-path` as written, and its line. */
  path?: { text: string; line: number };
}

/** `build-backend` and `backend-path` of the `[build-system]` table (read by line: the head may not parse yet). */
function backendOf(text: string): Backend {
  const out: Backend = {};
  let inTable = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const table = /^\[([^\]]+)\]/.exec(line);
    if (table) inTable = table[1].trim() === 'build-system';
    else if (inTable) {
      const b = /^build-backend\s*=\s*["']([^"']*)["']/.exec(line);
      if (b) Object.assign(out, { backend: b[1], line: i + 1 });
      if (/^backend-path\s*=/.test(line)) out.path = { text: line, line: i + 1 };
    }
  });
  return out;
}

export function backendFindings(file: string, baseText: string | undefined, headText: string): Finding[] {
  const head = backendOf(headText);
  const base = baseText === undefined ? undefined : backendOf(baseText);
  if (head.path && head.path.text !== base?.path?.text)
    return [
      createFinding(R.BUILD_BACKEND, {
        message: `The build backend${head.backend ? ` \`${head.backend}\`` : ''} is loaded from code inside the repository (\`backend-path\`).`,
        location: { file, line: head.path.line },
        evidence: short(head.path.text),
        severity: 'high',
        key: head.path.text
      })
    ];
  if (!head.backend || head.backend === base?.backend) return [];
  const known = KNOWN.has(head.backend);
  // A new pyproject.toml (or one that had no backend) on a known backend is a package being set up, not a change.
  if (known && !base?.backend) return [];
  return [
    createFinding(R.BUILD_BACKEND, {
      message: base?.backend
        ? `The build backend changes from \`${base.backend}\` to \`${head.backend}\`${known ? '' : ', which is not a known packaging backend'}.`
        : `The build backend \`${head.backend}\` is not a known packaging backend.`,
      location: { file, line: head.line },
      evidence: `build-backend = "${head.backend}"`,
      severity: known ? 'low' : 'medium',
      key: head.backend
    })
  ];
}
