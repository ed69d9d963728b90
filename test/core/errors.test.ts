import { describe, expect, it } from '@jest/globals';
import { UserError, fileError, oneLine, redact, registerSecret } from '../../packages/core/src/errors';

// Token-shaped strings are built at run time so this file holds no literal token.
const alnum = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => 'aB3xZ9qW'[(i + seed.charCodeAt(0)) % 8]).join('');
const ghp = `ghp_${alnum(36, 'p')}`;
const ghs = `ghs_${alnum(36, 's')}`;
const gho = `gho_${alnum(36, 'o')}`;
const pat = `github_pat_${alnum(22, 'a')}_${alnum(59, 'b')}`;

describe('redact', () => {
  it('removes registered secrets wherever they appear', () => {
    const secret = 'pypi-AgEIcHlwaS5vcmcCJDVmNTk0';
    registerSecret(secret);
    expect(redact(`token=${secret}; again:${secret}!`)).toBe('token=***; again:***!');
  });

  it('ignores empty and very short values (they would redact ordinary text)', () => {
    registerSecret('');
    registerSecret(undefined);
    registerSecret('abc');
    expect(redact('abc abc')).toBe('abc abc');
  });

  it('a secret that contains another registered secret is removed whole', () => {
    registerSecret('s3cr');
    registerSecret('s3cr3t-and-more');
    const out = redact('value s3cr3t-and-more end');
    expect(out).not.toContain('and-more');
    expect(out).not.toContain('s3cr');
  });

  it.each([
    ['ghp', ghp],
    ['ghs', ghs],
    ['gho', gho],
    ['fine-grained PAT', pat]
  ])('removes %s tokens even when never registered', (_k, token) => {
    for (const text of [
      token,
      `Authorization: token ${token}`,
      `https://x-access-token:${token}@github.com/o/r`,
      `"${token}"`,
      `${token}_suffix`,
      `prefix_${token}`
    ]) {
      const out = redact(text);
      expect(out).not.toContain(token.slice(4, 24));
      expect(out).toContain('***');
    }
  });

  it('leaves ordinary text alone', () => {
    const text = 'ghp_short and github_pat_ and the ghost_of_christmas_past';
    expect(redact(text)).toBe(text);
  });
});

describe('oneLine', () => {
  it('gives the first non-empty line of an error message, trimmed', () => {
    expect(oneLine(new Error('\n\n  first line  \nsecond line'))).toBe('first line');
    expect(oneLine(new Error('only'))).toBe('only');
    expect(oneLine(new Error('a\r\nb'))).toBe('a');
  });

  it('never includes the stack', () => {
    const e = new Error('boom');
    expect(oneLine(e)).toBe('boom');
    expect(oneLine(e)).not.toMatch(/\bat\b/);
  });

  it('handles non-Error values and empty messages', () => {
    expect(oneLine('plain string\nmore')).toBe('plain string');
    expect(oneLine(42)).toBe('42');
    expect(oneLine(new Error(''))).toBe('unknown error');
    expect(oneLine(new Error('\n \n'))).toBe('unknown error');
  });

  it('redacts', () => {
    registerSecret('hunter2-is-my-password');
    expect(oneLine(new Error(`login failed for hunter2-is-my-password with ${ghp}\nsecond`))).toBe(
      'login failed for *** with ***'
    );
  });
});

describe('fileError', () => {
  it('formats file:line: message as a UserError, without the line when unknown', () => {
    const e = fileError('a/b.yml', 7, 'bad thing');
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('a/b.yml:7: bad thing');
    expect(fileError('a/b.yml', undefined, 'bad').message).toBe('a/b.yml: bad');
  });
});
