// Code security configurations in the world: only what GitHub could show. An
// attached or enforced repository has what its configuration enables or
// disables; `removed` exists under unenforced configurations only.
import { describe, expect, it } from '@jest/globals';
import { normalizeWorld } from './world.mjs';

const world = (config: object, repo: object, attachment: object) => ({
  orgs: { o: { code_security_configurations: [{ name: 'c', ...config }] } },
  repos: { 'o/r': { ...repo, security_configuration: { configuration: 'c', ...attachment } } }
});

describe('fake GitHub: code security configurations in the world', () => {
  it('derives the status from the enforcement', () => {
    const enforced = normalizeWorld(world({ enforcement: 'enforced' }, {}, {}));
    expect(enforced.repos['o/r'].security_configuration.status).toBe('enforced');
    const loose = normalizeWorld(world({}, {}, {}));
    expect(loose.repos['o/r'].security_configuration.status).toBe('attached');
  });

  it('refuses settings an attached or enforced repository cannot have', () => {
    const pvrOn = { enforcement: 'enforced', private_vulnerability_reporting: 'enabled' };
    expect(() => normalizeWorld(world(pvrOn, { private_vulnerability_reporting: false }, {}))).toThrow(
      'world: o/r: enforced to "c", so private vulnerability reporting is enabled'
    );
    expect(() => normalizeWorld(world(pvrOn, { private_vulnerability_reporting: true }, {}))).not.toThrow();
    // A private repository has no reporting to enforce; a removed or failed attachment keeps its own settings.
    expect(() => normalizeWorld(world(pvrOn, { private: true }, {}))).not.toThrow();
    expect(() => normalizeWorld(world(pvrOn, {}, { status: 'failed' }))).not.toThrow();
    const csOff = { enforcement: 'enforced', code_scanning_default_setup: 'disabled' };
    expect(() => normalizeWorld(world(csOff, { code_scanning_default_setup: { state: 'configured' } }, {}))).toThrow(
      'so CodeQL default setup is not configured'
    );
    // Enabled default setup may be missing (GitHub: Actions off, or excluded languages changed).
    const csOn = { enforcement: 'enforced', code_scanning_default_setup: 'enabled' };
    expect(() => normalizeWorld(world(csOn, {}, {}))).not.toThrow();
  });

  it('refuses statuses GitHub gives only under the other enforcement, and unknown configurations', () => {
    expect(() => normalizeWorld(world({ enforcement: 'enforced' }, {}, { status: 'removed' }))).toThrow(
      '"removed" happens under unenforced configurations only'
    );
    expect(() => normalizeWorld(world({}, {}, { status: 'enforced' }))).toThrow('"enforced" needs an enforced');
    expect(() => normalizeWorld(world({}, {}, { status: 'gone' }))).toThrow('status must be attached|');
    expect(() =>
      normalizeWorld({ orgs: { o: {} }, repos: { 'o/r': { security_configuration: { configuration: 'x' } } } })
    ).toThrow('no configuration "x"');
  });
});
