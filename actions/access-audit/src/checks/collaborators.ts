// Who holds a repository (SPEC 6): at least two people with admin or
// maintain, not too many admins, and outside collaborators with write. The
// people with write or more go into the access snapshot, and those with admin
// or maintain to the inactivity check.
import { defineRules, rulesOf } from '@security-actions/core';
import { isHuman } from '../logins';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  singleAdmin: {
    id: 'repo/single-maintainer',
    title: 'Fewer than two people can administer the repository',
    severity: 'medium',
    why: 'If the only admin disappears, nobody can rotate secrets, change protection or respond to an incident.',
    remediation: 'Give a second maintainer admin or maintain (preferably through a team) and document who holds it.',
    spec: ['S6-6']
  },
  tooManyAdmins: {
    id: 'repo/too-many-admins',
    title: 'Many people hold admin on the repository',
    severity: 'low',
    why: 'Admin can disable protection and read environment settings; least privilege keeps it to the few who need it.',
    remediation: 'Lower admins who do not manage settings to maintain or write.',
    spec: ['S6-2']
  },
  outsideWrite: {
    id: 'repo/outside-collaborator-write',
    title: 'Outside collaborator with write access or more',
    severity: 'medium',
    why: "Outside collaborators are not covered by the organization's membership review and 2FA requirement history.",
    remediation:
      'Confirm the person still needs write access; otherwise lower them to read or remove them (SPEC 6 review).',
    spec: ['S6-2', 'S6-3']
  }
});

const ELEVATED = new Set(['ADMIN', 'MAINTAIN']);
const WRITE_OR_MORE = new Set(['WRITE', 'MAINTAIN', 'ADMIN']);

export const collaborators: RepoCheck = {
  id: 'collaborators',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, repo, config, failed, unreadable, gathered, add, skip }) {
    if (failed('collaborators') || !repo.collaborators) {
      const why = unreadable('collaborators', 'metadata: read', 'not checked: collaborators not returned');
      skip(RULES.singleAdmin.id, why, name);
    } else {
      const edges = repo.collaborators.edges ?? [];
      const humans = edges.flatMap((e) =>
        e.node && isHuman(e.node.login) ? [{ login: e.node.login, permission: e.permission }] : []
      );
      const admins = humans.filter((e) => e.permission === 'ADMIN').map((e) => e.login);
      const keyHolders = humans.filter((e) => ELEVATED.has(e.permission)).map((e) => e.login);
      for (const l of keyHolders) gathered.elevated.set(l, [...(gathered.elevated.get(l) ?? []), name]);
      (gathered.access[name] ??= {}).people = humans
        .filter((e) => WRITE_OR_MORE.has(e.permission))
        .map((e) => e.login)
        .sort();
      if (keyHolders.length < 2) {
        add(RULES.singleAdmin, name, {
          message: `${name}: ${keyHolders.length === 0 ? 'nobody' : `only ${keyHolders[0]}`} holds admin or maintain.`,
          properties: { admins: keyHolders }
        });
      } else if (admins.length > config.maxAdmins) {
        add(RULES.tooManyAdmins, name, {
          message: `${name}: ${admins.length} people hold admin (more than ${config.maxAdmins}).`,
          properties: { admins }
        });
      }
    }
    if (failed('outside') || !repo.outside) skip(RULES.outsideWrite.id, unreadable('outside', 'metadata: read'), name);
    else {
      for (const e of repo.outside.edges ?? []) {
        if (e.node && WRITE_OR_MORE.has(e.permission)) {
          add(RULES.outsideWrite, name, {
            message: `${name}: outside collaborator ${e.node.login} has ${e.permission.toLowerCase()} access.`,
            key: e.node.login,
            properties: { login: e.node.login, permission: e.permission }
          });
        }
      }
    }
  }
};
