// Container images (a job's `container:`, `services:`, `uses: docker://...`,
// a Docker action's image): only an `@sha256:` digest names one image; a tag
// can be pushed again with different content.
import type { Severity } from '../../severity';
import { contextPattern, fencedExpressions, parseExpression, type Node } from '../expr';
import { stepGroups, type Job, type Pos, type Text } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { UNPINNED_IMAGES } from '../rules/unpinned-images';

const RULES = UNPINNED_IMAGES.rules;

/** How an image reference is pinned: by digest, by a tag (which), or not at all. */
function pinning(image: string): { digest: boolean; tag?: string } {
  const ref = image.replace(/^docker:\/\//, '').trim();
  // A digest, even a malformed one (the pull then fails rather than drifting).
  if (/@sha256:/i.test(ref)) return { digest: true };
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return { digest: false, tag: colon >= 0 ? last.slice(colon + 1) : undefined };
}

/** The values an expression can yield: `a || b` either, `a && b` only b. */
function leaves(n: Node): Node[] {
  if (n.t === 'or') return n.args.flatMap(leaves);
  if (n.t === 'and') return leaves(n.args[n.args.length - 1]);
  return [n];
}

function judge(image: string, text: Text, what: string, site: string, from?: Pos): RawFinding[] {
  if (!image.trim()) return [];
  const p = pinning(image);
  if (p.digest) return [];
  const severity: Severity = !p.tag || p.tag === 'latest' ? 'high' : 'medium';
  return [
    {
      rule: RULES.UNPINNED_IMAGE,
      pos: text.pos,
      severity,
      message: `${what} \`${image.trim()}\`${from ? ` (the matrix value at line ${from.line})` : ''} is ${p.tag ? `pinned to the tag \`${p.tag}\`` : 'not pinned at all'}, not to a digest.`,
      evidence: image.trim(),
      subject: `image|${image.trim()}`,
      same: `image|${image.trim().replace(/:[^:/@]*$/, '')}|${p.tag ? 'tag' : 'none'}`,
      site
    }
  ];
}

/** An image reference, literal or an expression whose literal and matrix values are judged one by one. */
function check(text: Text, what: string, site: string, job?: Job): RawFinding[] {
  const f = fencedExpressions(text.value);
  if (!f.length) return judge(text.value, text, what, site);
  const opaque: RawFinding = {
    rule: RULES.UNPINNED_IMAGE,
    pos: text.pos,
    severity: 'low',
    confidence: 'low',
    message: `${what} \`${text.value}\` comes from an expression; the image it names may not be pinned.`,
    evidence: text.value,
    subject: `image|${text.value}`,
    site
  };
  const e = f.length === 1 && f[0].raw === text.value.trim() ? parseExpression(f[0].inner) : undefined;
  if (!e) return [opaque];
  const matrix = job?.strategy?.matrix;
  return leaves(e).flatMap((leaf) => {
    if (leaf.t === 'lit') return typeof leaf.value === 'string' ? judge(leaf.value, text, what, site) : [];
    const key = contextPattern(leaf)?.match(/^matrix\.([\w-]+)$/)?.[1];
    const values =
      key && matrix && !matrix.expr ? [...matrix.values].find(([k]) => k.toLowerCase() === key)?.[1] : undefined;
    if (!values) return [{ ...opaque, subject: `${opaque.subject}|${f[0].inner.slice(leaf.start, leaf.end)}` }];
    return values.flatMap((v) => (v.value.includes('${{') ? [opaque] : judge(v.value, text, what, site, v.pos)));
  });
}

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const job of doc.jobs) {
    if (job.container?.image)
      out.push(...check(job.container.image, `Job \`${job.id}\`'s container`, `jobs.${job.id}.container`, job));
    for (const [name, svc] of job.services)
      if (svc.image)
        out.push(
          ...check(svc.image, `Service \`${name}\` of job \`${job.id}\``, `jobs.${job.id}.services.${name}`, job)
        );
  }
  for (const g of stepGroups(doc))
    for (const s of g.steps)
      if (s.uses?.kind === 'docker')
        out.push(...check(s.uses.text, 'Step image', `${g.where}.steps[${s.index}]`, g.job));
  const image = doc.action?.image;
  if (image?.value.startsWith('docker://')) out.push(...check(image, "The action's image", 'runs.image'));
  return out;
}

export const unpinnedImages: WorkflowAudit = { ...UNPINNED_IMAGES, run };
