// `trust LOGIN`: who a GitHub account is to the ecosystem (docs/contributor-trust.md):
// the facts GitHub shows publicly and the shortest paths of people from the
// maintainers to them. The ecosystem is the config's `trust:` section plus
// --orgs, --repo and --roots. Exit status: 0 everything was read; 1 some part
// could not be (it says which and why); 2 a usage or input error.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DEFAULT_CONFIG_PATH,
  type Config,
  UserError,
  apiUrlsFromEnv,
  createGitHubClient,
  oneLine,
  parseConfig
} from '@security-actions/core';
import {
  type TrustReport,
  TrustChecker,
  clientIO,
  contextLine,
  ecosystemFrom,
  explain,
  isLogin,
  isRepoName
} from '@security-actions/core/trust';
import { HELP_OPTION } from '../options';
import { progress } from '../progress';
import { EXIT, type FunctionCommand, type Io, UsageError, type Values } from './types';

const SECTIONS = ['account', 'memberships', 'merged', 'reviews', 'commits', 'signing', 'vouches', 'paths'] as const;

export const trust: FunctionCommand = {
  summary: 'who a GitHub account is to the ecosystem: public facts and the paths of people from its maintainers',
  usage: 'LOGIN [--orgs ORGS] [--repo OWNER/NAME] [--roots LOGINS] [--token TOKEN] [options]',
  positionals: true,
  options: {
    orgs: { type: 'string', value: 'ORGS', help: 'comma-separated organisations that make up the ecosystem' },
    repo: {
      type: 'string',
      value: 'OWNER/NAME',
      help: 'the repository a PR is for: part of the ecosystem and counted on its own'
    },
    roots: { type: 'string', value: 'LOGINS', help: 'comma-separated maintainers every path may start from' },
    config: {
      type: 'string',
      value: 'FILE',
      help: `config file whose trust: section names the ecosystem (default: ${DEFAULT_CONFIG_PATH}, when it exists)`
    },
    token: {
      type: 'string',
      value: 'TOKEN',
      env: 'GITHUB_TOKEN',
      required: true,
      help: 'any token (default: $GITHUB_TOKEN); only public data is read, and the token goes to GitHub only'
    },
    format: { type: 'string', value: 'FORMAT', choices: ['plain', 'json'], help: 'plain (default) or json' },
    ...HELP_OPTION
  },
  notes: [
    'Reads public data only, in at most a few requests (GraphQL and REST); nothing is scored.',
    'Exit status: 0 everything was read; 1 some part could not be read (the output says which and why); 2 a usage or input error.'
  ],
  async run(values, io) {
    const login = (values._ ?? [])[0];
    if (!login || (values._ ?? []).length > 1) throw new UsageError('give one LOGIN');
    if (!isLogin(login)) throw new UsageError(`'${login}' is not a GitHub login`);
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const repo = str('repo');
    if (repo !== undefined && !isRepoName(repo)) throw new UsageError(`--repo takes OWNER/NAME; got '${repo}'`);
    const list = (k: string) =>
      (str(k) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    for (const name of [...list('orgs'), ...list('roots')])
      if (!isLogin(name)) throw new UsageError(`'${name}' is not a GitHub login or organisation`);
    const config = await readConfig(values, io);
    const eco = ecosystemFrom(config.sections.trust, {
      orgs: list('orgs'),
      roots: list('roots'),
      rootsSource: '--roots',
      source: config.file
    });
    if (!eco.orgs.length && !eco.repositories.length && !repo)
      throw new UsageError(`name the ecosystem: --orgs, --repo, or a trust: section in ${DEFAULT_CONFIG_PATH}`);

    const p = progress(io, 'normal');
    p.start(`trust ${login}`);
    let report: TrustReport;
    let requests: number;
    try {
      const token = str('token') ?? io.env.GITHUB_TOKEN ?? '';
      const checker = new TrustChecker(clientIO(await createGitHubClient({ token, ...apiUrlsFromEnv(io.env) })), eco, {
        repo
      });
      report = await checker.check(login);
      requests = checker.requests;
    } finally {
      p.stop();
    }
    io.out(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : render(report, requests, io));
    // A verified bot's paths do not apply; anyone else's unread part fails closed.
    return report.standing !== 'bot' && SECTIONS.some((s) => !report[s].ok) ? EXIT.findings : EXIT.ok;
  }
};

/** The config file named by --config (which must exist), or the default one when it exists. */
async function readConfig(values: Values, io: Io): Promise<Config> {
  const given = typeof values.config === 'string' ? values.config : undefined;
  const file = given ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch {
    if (given) throw new UsageError(`--config ${given}: no such file`);
    return { rules: {}, ignores: [], sections: {} };
  }
  try {
    return parseConfig(text, file);
  } catch (e) {
    throw new UsageError(e instanceof UserError ? e.message : oneLine(e));
  }
}

function render(r: TrustReport, requests: number, io: Io): string {
  const paint = io.paint ?? ((_role, text) => text);
  const lines = explain(r);
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  const body = lines.map(
    ([label, text]) =>
      `${paint('dim', label.padEnd(width))}${text.startsWith('not checked') ? paint('notChecked', text) : text}`
  );
  const ecosystem = [...r.ecosystem.orgs, ...r.ecosystem.repositories, ...(r.repo ? [r.repo] : [])].join(', ');
  return (
    [
      `@${r.login}: ${contextLine(r)}`,
      paint('dim', `Ecosystem: ${ecosystem}`),
      '',
      ...body,
      '',
      paint(
        'dim',
        `${requests} API request${requests === 1 ? '' : 's'} (the vouch files and @${r.login}); public data only`
      )
    ].join('\n') + '\n'
  );
}
