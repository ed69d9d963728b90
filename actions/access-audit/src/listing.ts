// Facts of a repository as `GET /orgs/{org}/repos` lists it.
import type { PropertyMatch, RepoListing } from './types';

/** Public by `visibility`, or by `private` where GitHub gives no visibility. */
export const isPublic = (listing: RepoListing): boolean =>
  listing.visibility ? listing.visibility === 'public' : listing.private === false;

/** Whether the repository's custom property has the value (or one of the values) the config names. */
export function propertyMatches(listing: RepoListing, m: PropertyMatch | undefined): boolean {
  if (!m) return false;
  const v = listing.custom_properties?.[m.property];
  const wanted = (Array.isArray(m.value) ? m.value : [m.value]).map((x) => x.toLowerCase());
  return (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && wanted.includes(x.toLowerCase()));
}
