// The secret scan links many files into one secretlint call: every file must get
// the messages it gets when linted alone, whatever the files around it hold.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import { SecretCollector, lintAll } from '../../actions/pr-anomaly-scan/src/secrets';
import { expectFires, expectQuiet } from '../helpers/rules';

// Credentials in the formats the preset knows, random, assembled so that no token sits in the source.
const gh = () => `${'gh'}p_${'k3Pq8ZtW1mXv9Rb2Yc7Ld4Nf6Hs0Gj5Ea1Uo'}`;
const slack = () => `${'xo'}xb-${'263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1'}`;
const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const lines = (text: string) => text.split('\n').map((t, i) => ({ line: i + 1, text: t }));
const file = (path: string, text: string) => ({ path, numbers: lines(text).map((l) => l.line), text });
/** Hands the collector a file's added lines, as the engine does. */
const add = (c: SecretCollector, path: string, added: { line: number; text: string }[]) =>
  c.add(
    path,
    added.map((l) => l.text).join('\n'),
    added.map((l) => l.line)
  );

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
let calls = 0;
const lint = async (filePath: string, content: string) => {
  calls++;
  return (
    await lintSource({ source: { filePath, content, contentType: 'text' }, options: { config, maskSecrets: true } })
  ).messages;
};
/** What each file gets alone: rule and line. */
const alone = async (files: ReturnType<typeof file>[]) =>
  Promise.all(files.map(async (f) => (await lint(`/${f.path}`, f.text)).map((m) => [m.ruleId, m.loc.start.line])));
const shared = async (files: ReturnType<typeof file>[]) =>
  (await lintAll(files, lint)).map((ms) => ms.map((m) => [m.ruleId, m.loc.start.line]));

describe('secretlint over many files at once', () => {
  it('finds what each file alone gives, on the line of that file, in one call for ordinary files', async () => {
    const files = [
      file('a.py', `x = 1\nTOKEN = "${gh()}"`),
      file('b.py', 'print("nothing here")'),
      file('c/d.js', `const a = 1;\nconst b = 2;\nconst slack = '${slack()}';\nconst t = '${gh()}';`),
      file('e.py', pem().trimEnd())
    ];
    const expected = await alone(files);
    expect(expected.flat().length).toBe(4);
    calls = 0;
    expect(await shared(files)).toEqual(expected);
    expect(calls).toBe(1);
  });

  it('lints alone the files whose name a rule reads, and keeps a secretlint-disable comment inside its file', async () => {
    const files = [
      file('package.json', `"repository": "https://${'x'.repeat(8)}:x-oauth-basic@github.com/o/r"`),
      file('web/.npmrc', `//registry.npmjs.org/:_authToken=${'a1b2c3d4'.repeat(5)}`),
      file('quiet.py', `# secretlint-disable\nTOKEN = "${gh()}"`),
      file('loud.py', `TOKEN = "${gh()}"`)
    ];
    const expected = await alone(files);
    expect(expected.map((ms) => ms.filter(([id]) => id === '@secretlint/secretlint-rule-npm').length)).toEqual([
      1, 1, 0, 0
    ]);
    expect(expected.map((ms) => ms.length).slice(2)).toEqual([0, 1]);
    expect(await shared(files)).toEqual(expected);
  });

  it('a match running from one file into the next is neither invented nor lets it hide one', async () => {
    const key = pem().trimEnd().split('\n');
    const files = [
      file('head.py', `x = 1\n${key[0]}`), // a key header with no end
      file('tail.py', key.slice(1).join('\n')), // the rest of another key, no header
      file('whole.py', pem().trimEnd()),
      file('aws1.py', 'aws_secret_access_key ='),
      file('aws2.py', `"${'A'.repeat(20)}${'b'.repeat(20)}"`),
      file('cr.py', `a = 1\rb = 2\n${gh()}`)
    ];
    const expected = await alone(files);
    expect(expected.map((m) => m.length)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(await shared(files)).toEqual(expected);
  });

  it('reports through the collector with the added line numbers, candidate lines only', async () => {
    const c = new SecretCollector();
    const added = [
      { line: 10, text: 'def f():' },
      { line: 11, text: `    token = "${gh()}"` }
    ];
    add(c, 'src/a.py', added);
    add(c, 'docs/logo.svg', added); // generated and vector files are not read
    add(c, 'src/b.py', [{ line: 3, text: 'x = 1' }]);
    const found = await c.scan();
    expectFires(found, 'secrets/credential', 1);
    expect(found[0].location).toMatchObject({ file: 'src/a.py', line: 11 });
    expectQuiet(await new SecretCollector().scan(), 'secrets/credential');
  });

  it('lints a large PR in batches as it streams, with no cap: a credential after megabytes of candidates is found', async () => {
    const c = new SecretCollector();
    const filler = Array.from({ length: 2000 }, (_, i) => ({
      line: i + 1,
      text: `secret_url = "https://example.org/${'p'.repeat(300)}"`
    }));
    for (let k = 0; k < 20; k++) add(c, `src/m${k}.py`, filler); // 12 MB of candidate lines
    add(c, 'src/late.py', [{ line: 7, text: `TOKEN = "${gh()}"` }]);
    const found = await c.scan();
    expect(found.map((f) => f.location)).toEqual([expect.objectContaining({ file: 'src/late.py', line: 7 })]);
  });

  it('keeps the findings of the batches secretlint could lint when another fails, and says what failed', async () => {
    let n = 0;
    const failing = async () => async (filePath: string, content: string) => {
      if (n++ === 0) throw new Error('rule crashed');
      return lint(filePath, content);
    };
    const c = new SecretCollector(failing);
    const big = Array.from({ length: 300 }, (_, i) => ({ line: i + 2, text: `# secret ${'x'.repeat(4000)}` }));
    add(c, 'src/first.py', [{ line: 1, text: `TOKEN = "${gh()}"` }, ...big]); // a batch of its own
    add(c, 'src/second.py', [{ line: 2, text: `TOKEN = "${gh()}"` }]);
    const found = await c.scan();
    expect(found.map((f) => f.location?.file)).toEqual(['src/second.py']);
    expect(c.failure).toBe('rule crashed');
  });
});
