// literalPath: a suppression entry for one file, whatever glob syntax its name holds.
import { describe, expect, it } from '@jest/globals';
import { applySuppressions, literalPath } from '../../packages/core/src/suppress';
import { finding, rule } from './helpers';

const R = rule('x/y', 'high');
const at = (file: string) => finding(R, { location: { file, line: 3 } });

describe('literalPath', () => {
  const names = ['src/[a]/m{1,2}.py', 'a/*.py', 'a/?.py', '!neg.py', 'a/@(x).py', 'a/+(x).py', 'a/b,c.py', 'a/$x^.py'];
  const others = ['src/a/m1.py', 'src/a/m2.py', 'a/b.py', 'neg.py', 'a/x.py', 'a/xx.py', 'ab.py', 'a/x.py'];

  it.each(names)('%s matches itself and nothing else', (name) => {
    const entry = { rule: 'x/y', path: literalPath(name), line: 3, reason: 'r', source: 's' };
    const { findings } = applySuppressions([at(name), ...others.map(at)], [entry], { today: '2026-01-01' });
    expect(findings.filter((f) => f.suppression).map((f) => f.location?.file)).toEqual([name]);
  });
});
