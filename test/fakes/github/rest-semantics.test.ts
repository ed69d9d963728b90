// What the REST answers mean: data derived from the rich world the way GitHub
// derives it (2FA filters, outside collaborators, effective roles, rules for a
// branch, author associations, search counts) and writes landing in `state`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { readFileSync } from 'node:fs';
import { startFakeGitHub } from './server.mjs';

const world = JSON.parse(readFileSync(new URL('./worlds/rich.json', import.meta.url), 'utf8'));
const owner = 'scientific-python';
const repo = 'spec-tool';

describe('fake GitHub REST semantics', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  let octokit: ReturnType<typeof getOctokit>;
  const logins = (users: { login: string }[]) => users.map((u) => u.login).sort();

  beforeAll(async () => {
    fake = await startFakeGitHub({ world });
    octokit = getOctokit('token', { baseUrl: fake.url });
  });
  afterAll(() => fake.close());

  it('filters org members and outside collaborators by 2FA state', async () => {
    const all = await octokit.rest.orgs.listMembers({ org: owner });
    expect(logins(all.data)).toEqual(['alice', 'bob', 'dave', 'erin']);
    const no2fa = await octokit.rest.orgs.listMembers({ org: owner, filter: '2fa_disabled' });
    expect(logins(no2fa.data)).toEqual(['bob']);
    const admins = await octokit.rest.orgs.listMembers({ org: owner, role: 'admin' });
    expect(logins(admins.data)).toEqual(['alice']);
    const outside = await octokit.rest.orgs.listOutsideCollaborators({ org: owner });
    expect(logins(outside.data)).toEqual(['carol']);
    const insecure = await octokit.rest.orgs.listOutsideCollaborators({ org: owner, filter: '2fa_insecure' });
    expect(logins(insecure.data)).toEqual(['carol']);
  });

  it('shows owner-only org settings to owners only, and the 2FA filter too', async () => {
    const asOwner = await octokit.rest.orgs.get({ org: owner });
    expect(asOwner.data.two_factor_requirement_enabled).toBe(true);
    expect(asOwner.data.default_repository_permission).toBe('read');
    const asMembers = await startFakeGitHub({
      world: { ...world, tokens: { bob: { login: 'bob' }, erin: { login: 'erin' } } }
    });
    try {
      const bob = getOctokit('bob', { baseUrl: asMembers.url });
      expect((await bob.rest.orgs.get({ org: owner })).data).not.toHaveProperty('two_factor_requirement_enabled');
      await expect(bob.rest.orgs.listMembers({ org: owner, filter: '2fa_disabled' })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('Only owners can use this filter.')
      });
      await expect(bob.rest.repos.listCollaborators({ owner, repo: 'private-tool' })).resolves.toMatchObject({
        status: 200
      });
      // erin has only the org's base read permission.
      await expect(
        getOctokit('erin', { baseUrl: asMembers.url }).rest.repos.listCollaborators({ owner, repo })
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining('Must have push access to view repository collaborators.')
      });
    } finally {
      await asMembers.close();
    }
  });

  it('derives collaborators with their highest role from direct, team and org grants', async () => {
    const { data } = await octokit.rest.repos.listCollaborators({ owner, repo });
    expect(Object.fromEntries(data.map((c) => [c.login, c.role_name]))).toEqual({
      alice: 'admin',
      bob: 'maintain',
      carol: 'write',
      dave: 'admin',
      erin: 'read'
    });
    const outside = await octokit.rest.repos.listCollaborators({ owner, repo, affiliation: 'outside' });
    expect(logins(outside.data)).toEqual(['carol']);
    const teamMembers = await octokit.rest.teams.listMembersInOrg({ org: owner, team_slug: 'maintainers' });
    expect(logins(teamMembers.data)).toEqual(['alice', 'bob', 'dave']);
  });

  it('applies classic protection by pattern and active rulesets by ref condition', async () => {
    const main = await octokit.rest.repos.getBranchProtection({ owner, repo, branch: 'main' });
    expect(main.data.required_pull_request_reviews?.required_approving_review_count).toBe(2);
    expect(main.data.required_signatures?.enabled).toBe(true);
    const release = await octokit.rest.repos.getBranchProtection({ owner, repo, branch: 'release/1.x' });
    expect(release.data.required_pull_request_reviews?.required_approving_review_count).toBe(1);
    await expect(octokit.rest.repos.getBranchProtection({ owner, repo, branch: 'docs-fix' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Branch not protected')
    });
    const rules = await octokit.rest.repos.getBranchRules({ owner, repo, branch: 'main' });
    expect(rules.data.map((r) => r.type)).toEqual([
      'deletion',
      'non_fast_forward',
      'required_signatures',
      'pull_request',
      'required_status_checks'
    ]);
    expect(rules.data[0]).toMatchObject({ ruleset_source_type: 'Repository', ruleset_source: `${owner}/${repo}` });
    // The release-branches ruleset only evaluates, so it contributes no rules.
    expect((await octokit.rest.repos.getBranchRules({ owner, repo, branch: 'release/1.x' })).data).toEqual([]);
  });

  it('serves file contents at refs, base64-encoded or raw', async () => {
    const file = await octokit.rest.repos.getContent({ owner, repo, path: 'pyproject.toml', ref: 'v0.9.0' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString()).toBe(
      world.repos[`${owner}/${repo}`].files['v0.9.0']['pyproject.toml']
    );
    const raw = await fetch(`${fake.url}/repos/${owner}/${repo}/contents/README.md`, {
      headers: { accept: 'application/vnd.github.raw+json' }
    });
    expect(await raw.text()).toBe('# spec-tool\n');
    const dir = await octokit.rest.repos.getContent({ owner, repo, path: 'src' });
    expect((dir.data as { path: string; type: string }[]).map((e) => [e.path, e.type])).toEqual([
      ['src/spec_tool', 'dir']
    ]);
    const downloaded = await fetch((file.data as { download_url: string }).download_url);
    expect(await downloaded.text()).toContain('version = "0.9.0"');
  });

  it('lists commit history and resolves refs', async () => {
    const commits = await octokit.rest.repos.listCommits({ owner, repo, sha: 'main' });
    expect(commits.data.map((c) => c.sha[0])).toEqual(['c', 'b', 'a']);
    expect(commits.data[0].commit.verification).toMatchObject({ verified: true, reason: 'valid' });
    expect(commits.data[2].author).toBeNull();
    const byBob = await octokit.rest.repos.listCommits({ owner, repo, author: 'bob' });
    expect(byBob.data.map((c) => c.sha[0])).toEqual(['b']);
    const tag = await octokit.rest.git.getRef({ owner, repo, ref: 'tags/v1.0.0' });
    expect(tag.data.object).toMatchObject({ type: 'tag', sha: 'd'.repeat(40) });
    const tagObject = await octokit.rest.git.getTag({ owner, repo, tag_sha: tag.data.object.sha });
    expect(tagObject.data.object.sha).toBe('c'.repeat(40));
    const commit = await octokit.rest.repos.getCommit({ owner, repo, ref: 'release/1.x' });
    expect(commit.data.files?.[0].filename).toBe('pyproject.toml');
  });

  it('derives author_association for pull requests', async () => {
    const { data } = await octokit.rest.pulls.list({ owner, repo, state: 'all' });
    expect(Object.fromEntries(data.map((p) => [p.number, p.author_association]))).toEqual({
      3: 'MEMBER',
      4: 'FIRST_TIME_CONTRIBUTOR',
      5: 'FIRST_TIME_CONTRIBUTOR'
    });
    const fork = await octokit.rest.pulls.get({ owner, repo, pull_number: 4 });
    expect(fork.data.head.repo.full_name).toBe('mallory/spec-tool');
    expect(fork.data.head.repo.fork).toBe(true);
    const merged = await octokit.rest.pulls.get({ owner, repo, pull_number: 3 });
    expect([merged.data.merged, merged.data.merged_by?.login]).toEqual([true, 'alice']);
  });

  it('counts issues and pull requests with search qualifiers', async () => {
    const q = `is:pr author:bob is:merged repo:${owner}/${repo}`;
    expect((await octokit.rest.search.issuesAndPullRequests({ q })).data.total_count).toBe(1);
    expect(
      (await octokit.rest.search.issuesAndPullRequests({ q: `is:pr is:open org:${owner}` })).data.total_count
    ).toBe(1);
    expect(
      (await octokit.rest.search.issuesAndPullRequests({ q: 'is:issue crash' })).data.items.map((i) => i.number)
    ).toEqual([2]);
    await expect(octokit.rest.search.issuesAndPullRequests({ q: 'author:bob' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Query must include 'is:issue' or 'is:pull-request'")
    });
    // The fake refuses qualifiers it cannot evaluate instead of miscounting.
    await expect(octokit.rest.search.issuesAndPullRequests({ q: 'is:pr reactions:>5' })).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('not supported by the fake')
    });
  });

  it('records writes in state: comments, issues, assets, attestations', async () => {
    const comment = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 4,
      body: 'Automated review: new dependency.'
    });
    expect(comment.status).toBe(201);
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.data.id, body: 'Edited.' });
    const stateRepo = fake.state.repos[`${owner}/${repo}`];
    const pr = stateRepo.pulls.find((p: { number: number }) => p.number === 4);
    expect(pr.comments.at(-1)).toMatchObject({ user: 'alice', body: 'Edited.' });

    const issue = await octokit.rest.issues.create({ owner, repo, title: 'Weekly access audit' });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.data.number, state: 'closed' });
    expect(stateRepo.issues.at(-1)).toMatchObject({
      title: 'Weekly access audit',
      state: 'closed',
      closed_by: 'alice'
    });

    const release = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    const asset = await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: release.data.id,
      name: 'provenance.intoto.jsonl',
      data: '{"payload":1}',
      headers: { 'content-type': 'application/json' },
      baseUrl: fake.url
    });
    expect(asset.data).toMatchObject({ name: 'provenance.intoto.jsonl', size: 13, uploader: { login: 'alice' } });
    const download = await octokit.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      owner,
      repo,
      asset_id: asset.data.id,
      headers: { accept: 'application/octet-stream' }
    });
    expect(Buffer.from(download.data as unknown as ArrayBuffer).toString()).toBe('{"payload":1}');
    await octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.data.id });
    expect(
      (await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: release.data.id })).data.map((a) => a.name)
    ).toEqual(['spec_tool-1.0.0-py3-none-any.whl', 'spec_tool-1.0.0.tar.gz']);

    const attestation = await octokit.rest.repos.createAttestation({
      owner,
      repo,
      bundle: { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }
    });
    expect(stateRepo.attestations).toEqual([expect.objectContaining({ id: attestation.data.id, actor: 'alice' })]);
  });
});
