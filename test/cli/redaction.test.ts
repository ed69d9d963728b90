// Nothing the CLI prints carries a URL's credentials, whichever message
// echoes the URL: a usage error about --repo, an unreadable --trusted-root.
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../harness/cli';

async function cli(...args: string[]) {
  const { code, out, err } = await runCli(args);
  return { code, printed: out + err };
}

describe('CLI: credentials in URLs', () => {
  it('a URL given as --repo is refused without its password', async () => {
    const r = await cli('scan', '--repo', 'https://alice:cli-secret-77@github.com/o/r.git');
    expect(r.code).toBe(2);
    expect(r.printed).toContain('https://***@github.com/o/r.git');
    expect(r.printed).not.toContain('cli-secret-77');
  });

  it('a path that looks like a URL with a token parameter, echoed in an error, loses the token', async () => {
    const r = await cli(
      'verify-bundle',
      '--bundle',
      'https://h.example/b.json?access_token=cli-token-78',
      '--key',
      'k.pem',
      '--offline',
      'a.txt'
    );
    expect(r.code).toBe(1);
    expect(r.printed).not.toContain('cli-token-78');
  });
});
