import { describe, expect, it } from '@jest/globals';
import { findTyposquat, isPopularPackage } from '../../packages/core/src/typosquat';

describe('findTyposquat', () => {
  it.each([
    ['reqeusts', 'requests', 'swapped-characters'],
    ['requestss', 'requests', 'repeated-character'],
    ['reqests', 'requests', 'omitted-character'],
    ['requesys', 'requests', 'substituted-character'],
    ['python-dateutils', 'python-dateutil', 'added-character'],
    ['pythondateutil', 'python-dateutil', 'separator'],
    ['dateutil-python', 'python-dateutil', 'swapped-words'],
    ['python-requests', 'requests', 'affix'],
    ['Reqeusts', 'requests', 'swapped-characters']
  ])('%s imitates %s (%s)', (name, target, kind) => {
    expect(findTyposquat(name)).toMatchObject({ target, kind });
  });
  it('never reports a popular name, even one typo from another', () => {
    expect(isPopularPackage('requests')).toBe(true);
    expect(findTyposquat('requests')).toBeUndefined();
    expect(findTyposquat('Python_DateUtil')).toBeUndefined();
    expect(findTyposquat('pandas')).toBeUndefined();
  });
  it('ignores names far from every popular one and short targets', () => {
    expect(findTyposquat('my-very-own-internal-tool')).toBeUndefined();
    expect(findTyposquat('sixx')).toBeUndefined();
  });
  it('reports the distance', () => {
    expect(findTyposquat('nunpy')?.distance).toBe(1);
  });
});
