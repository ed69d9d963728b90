// How much of a context's value an attacker controls, from zizmor's
// context-capabilities data (MIT, see data/context-capabilities.json for the
// commit): `arbitrary` (any text: a PR title), `structured` (text inside a
// fixed shape: a URL), `fixed` (nothing usable: an id, a boolean, a SHA).
import table from '../../data/context-capabilities.json' with { type: 'json' };

export type Capability = 'arbitrary' | 'structured' | 'fixed';

type Trie = { [part: string]: Trie | string };
const CODES: Record<string, Capability> = { a: 'arbitrary', s: 'structured', f: 'fixed' };

/**
 * Contexts outside GitHub's event payloads, which the data leaves out: the
 * head branch name is chosen by whoever opens the PR; the other names are
 * chosen by people with write access (refs, the base branch) or are not text
 * at all (ids, account names, which allow no shell syntax).
 */
const GITHUB_EXTRA: Record<string, Capability> = {
  'github.head_ref': 'arbitrary',
  // Not an event field: the names of the files a PR changes, as changed-files actions output them.
  'github.event.pull_request.files.*.filename': 'arbitrary',
  'github.ref': 'structured',
  'github.ref_name': 'structured',
  'github.base_ref': 'fixed',
  'github.actor': 'fixed',
  'github.actor_id': 'fixed',
  'github.event_name': 'fixed',
  'github.ref_type': 'fixed',
  'github.ref_protected': 'fixed',
  'github.repository_visibility': 'fixed',
  'github.workflow': 'fixed',
  'github.workflow_ref': 'fixed',
  'github.workflow_sha': 'fixed',
  'github.job_workflow_sha': 'fixed',
  'github.api_url': 'fixed',
  'github.graphql_url': 'fixed',
  'github.env': 'fixed',
  'github.path': 'fixed',
  'github.output': 'fixed',
  'github.step_summary': 'fixed',
  'github.retention_days': 'fixed',
  'github.secret_source': 'fixed',
  'github.action': 'fixed',
  'github.action_ref': 'fixed',
  'github.action_repository': 'fixed',
  'github.action_status': 'fixed'
};

/** The capability of a context pattern (`github.event.issue.title`), or undefined when no data covers it. */
export function contextCapability(pattern: string): Capability | undefined {
  if (Object.hasOwn(GITHUB_EXTRA, pattern)) return GITHUB_EXTRA[pattern];
  let node: Trie | string | undefined = table as unknown as Trie;
  for (const part of pattern.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part] ?? node['*'];
  }
  const code = typeof node === 'object' ? node[''] : node;
  const cap = typeof code === 'string' ? CODES[code] : undefined;
  // API links GitHub builds from names and ids (`artifacts_url`, `html_url`, `href`) cannot carry shell
  // syntax, whatever the data says; free-form payloads (`client_payload`, `inputs`) keep their class.
  if (cap === 'arbitrary' && /(^|\.|_)(url|href)$/.test(pattern) && !/\.(client_)?payload\.|\.inputs\./.test(pattern))
    return 'fixed';
  return cap;
}
