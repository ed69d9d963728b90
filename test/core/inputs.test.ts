import { afterEach, describe, expect, it } from '@jest/globals';
import { UserError } from '../../packages/core/src/errors';
import { Inputs, inputEnvName } from '../../packages/core/src/inputs';
import { FAIL_ON } from '../../packages/core/src/severity';

/** Inputs as the runner would set them: key INPUT_<NAME upper-cased, spaces to _>. */
const inputs = (values: Record<string, string>) =>
  new Inputs(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]))
  );

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('inputEnvName', () => {
  it('upper-cases, keeps hyphens, turns spaces into underscores', () => {
    expect(inputEnvName('fail-on')).toBe('INPUT_FAIL-ON');
    expect(inputEnvName('sarif-file')).toBe('INPUT_SARIF-FILE');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
    expect(inputEnvName('a b-c_d')).toBe('INPUT_A_B-C_D');
  });

  describe('agrees with @actions/core getInput, which reads what the runner sets', () => {
    const set: string[] = [];
    afterEach(() => {
      for (const k of set.splice(0)) delete process.env[k];
    });
    it.each(['fail-on', 'my input', 'Token', 'trusted-orgs', 'two  spaces'])('%s', async (name) => {
      const core = await import('@actions/core');
      const key = inputEnvName(name);
      set.push(key);
      process.env[key] = `  value of ${name}  `;
      expect(core.getInput(name)).toBe(`value of ${name}`);
      expect(new Inputs(process.env).string(name)).toBe(core.getInput(name));
    });
  });
});

describe('Inputs.string', () => {
  it('trims, falls back to the default, then to empty', () => {
    const i = inputs({ path: '  src  ', blank: '   ' });
    expect(i.string('path')).toBe('src');
    expect(i.string('blank', { default: 'dflt' })).toBe('dflt');
    expect(i.string('missing', { default: 'dflt' })).toBe('dflt');
    expect(i.string('missing')).toBe('');
    expect(i.optional('missing')).toBeUndefined();
    expect(i.optional('path')).toBe('src');
  });

  it('required and empty is a UserError naming the input', () => {
    const e = thrown(() => inputs({ token: ' ' }).string('token', { required: true }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain("'token'");
    expect(inputs({ token: 'x' }).string('token', { required: true })).toBe('x');
  });
});

describe('Inputs.boolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('%j is %s', (v, want) => {
    expect(inputs({ offline: v }).boolean('offline', !want)).toBe(want);
  });

  it('empty gives the default', () => {
    expect(inputs({}).boolean('offline', true)).toBe(true);
    expect(inputs({ offline: '' }).boolean('offline', false)).toBe(false);
  });

  it.each(['yes', 'no', '1', '0', 'tRuE', 'on'])('%j is an error naming the input and the value', (v) => {
    const e = thrown(() => inputs({ offline: v }).boolean('offline', false));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain("'offline'");
    expect(e.message).toContain(v);
  });

  it('accepts and refuses exactly what @actions/core getBooleanInput does', async () => {
    const core = await import('@actions/core');
    for (const v of ['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'tRuE', 'yes', '1']) {
      process.env['INPUT_PROBE'] = v;
      let theirs: boolean | 'error';
      try {
        theirs = core.getBooleanInput('probe');
      } catch {
        theirs = 'error';
      }
      let ours: boolean | 'error';
      try {
        ours = new Inputs(process.env).boolean('probe', false);
      } catch {
        ours = 'error';
      }
      expect([v, ours]).toEqual([v, theirs]);
    }
    delete process.env['INPUT_PROBE'];
  });
});

describe('Inputs.choice', () => {
  it('is case-insensitive and returns the canonical value', () => {
    expect(inputs({ 'fail-on': 'HIGH' }).choice('fail-on', FAIL_ON, 'none')).toBe('high');
    expect(inputs({ 'fail-on': ' Medium ' }).choice('fail-on', FAIL_ON, 'none')).toBe('medium');
    expect(inputs({}).choice('fail-on', FAIL_ON, 'critical')).toBe('critical');
  });

  it('an unknown value is an error naming the input and every allowed value', () => {
    const e = thrown(() => inputs({ 'fail-on': 'bogus' }).choice('fail-on', FAIL_ON, 'high'));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain("'fail-on'");
    expect(e.message).toContain('bogus');
    for (const v of FAIL_ON) expect(e.message).toContain(v);
    expect(e.message).not.toMatch(/\n/);
  });
});

describe('Inputs.integer', () => {
  it('reads whole numbers, the default when empty', () => {
    expect(inputs({ n: '42' }).integer('n', 1)).toBe(42);
    expect(inputs({ n: ' -7 ' }).integer('n', 1)).toBe(-7);
    expect(inputs({}).integer('n', 5)).toBe(5);
  });

  it('respects inclusive ranges', () => {
    expect(inputs({ n: '1' }).integer('n', 5, { min: 1, max: 10 })).toBe(1);
    expect(inputs({ n: '10' }).integer('n', 5, { min: 1, max: 10 })).toBe(10);
  });

  it.each([
    ['0', { min: 1 }, '>= 1'],
    ['11', { max: 10 }, '<= 10'],
    ['11', { min: 1, max: 10 }, '>= 1 and <= 10'],
    ['1.5', {}, ''],
    ['abc', {}, ''],
    ['1e3', {}, ''],
    ['0x10', {}, '']
  ])('%j with %j is an error naming the input (and the range)', (v, range, text) => {
    const e = thrown(() => inputs({ 'max-repos': v }).integer('max-repos', 5, range));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain("'max-repos'");
    expect(e.message).toContain(v);
    expect(e.message).toContain(text);
  });
});

describe('Inputs.list', () => {
  it('splits on commas and newlines, trims, drops blanks and comments', () => {
    const v =
      'pinning, hashes\nvulnerabilities # the OSV check\n# a whole-line comment\n\n  typosquats  ,\r\nactions\r\n';
    expect(inputs({ checks: v }).list('checks')).toEqual([
      'pinning',
      'hashes',
      'vulnerabilities',
      'typosquats',
      'actions'
    ]);
  });

  it('a comment containing a comma does not turn into items', () => {
    expect(inputs({ checks: 'pinning # not hashes, nor typosquats\nactions' }).list('checks')).toEqual([
      'pinning',
      'actions'
    ]);
    expect(inputs({ checks: '# disabled: a, b\nc' }).list('checks')).toEqual(['c']);
  });

  it('a # inside a value (no space before it) is kept', () => {
    expect(inputs({ urls: 'https://example.org/#frag, b' }).list('urls')).toEqual(['https://example.org/#frag', 'b']);
  });

  it('empty gives []', () => {
    expect(inputs({}).list('checks')).toEqual([]);
    expect(inputs({ checks: ' , \n ,' }).list('checks')).toEqual([]);
  });
});

describe('Inputs.lines', () => {
  it('one item per line; commas stay inside items; comments and blanks dropped', () => {
    const v = 'requirements*.txt\n  # comment line\n\n{a,b}/pyproject.toml  \r\n';
    expect(inputs({ files: v }).lines('files')).toEqual(['requirements*.txt', '{a,b}/pyproject.toml']);
  });
});

describe('Inputs.url', () => {
  it('accepts http(s) URLs, drops trailing slashes, uses the default when empty', () => {
    expect(inputs({ 'osv-url': 'https://osv.example/v1/' }).url('osv-url', 'https://api.osv.dev')).toBe(
      'https://osv.example/v1'
    );
    expect(inputs({ 'osv-url': 'http://127.0.0.1:8080' }).url('osv-url', 'https://api.osv.dev')).toBe(
      'http://127.0.0.1:8080'
    );
    expect(inputs({}).url('osv-url', 'https://api.osv.dev')).toBe('https://api.osv.dev');
  });

  it.each(['file:///etc/passwd', 'not a url', 'ftp://x.example'])('%j is an error naming the input', (v) => {
    const e = thrown(() => inputs({ 'osv-url': v }).url('osv-url', 'https://api.osv.dev'));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain("'osv-url'");
  });
});
