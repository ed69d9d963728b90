// The config schema's address resolves once the release that the templates
// pin exists: its `$id` is the raw file at the tag of this version, and the
// docs' modeline names the major tag the release moves.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaUrl } from '../../packages/cli/src/commands/init';
import { REPO_ROOT } from '../harness/run-action';
import { OWN_PREFIX, readWorkflows } from './workflows';

const read = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');
const version = JSON.parse(read('package.json')).version as string;
const pinned = readWorkflows()
  .filter((w) => w.template)
  .flatMap((w) => w.uses)
  .find((u) => u.raw.startsWith(OWN_PREFIX))!.comment!;

describe('the config schema’s address', () => {
  it('$id is the file at the tag the release of this version creates (scripts/config-schema.mjs writes it)', () => {
    const schema = JSON.parse(read('packages/core/schema/config.schema.json'));
    expect(schema.$id).toBe(schemaUrl(`v${version}`));
    expect(schema.$id).toBe(
      `https://raw.githubusercontent.com/scientific-python/security-actions/v${version}/packages/core/schema/config.schema.json`
    );
  });

  it('the documented modeline names the major tag of the release the templates pin, which the release moves', () => {
    const major = /^(v\d+)\./.exec(pinned)![1];
    const lines = read('docs/configuration.md').match(/\$schema=\S+/g) ?? [];
    expect(lines).toEqual([`$schema=${schemaUrl(major)}`]);
    expect(read('.github/workflows/release.yml')).toMatch(/major="v\$\{VERSION%%\.\*\}"/);
  });
});
