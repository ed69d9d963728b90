// Contributor trust (docs/contributor-trust.md): who an author is to the
// ecosystem, from public GitHub data, as facts and paths of people.
export type * from './types';
export { TrustChecker, type CheckerOptions } from './checker';
export { contextLine, explain, pathText, edgeText, role, shortRepo } from './describe';
export { parseVouchFile, vouchInvalidity, type VouchFile } from './vouches';
export { ecosystemFrom, clientIO, isLogin, isRepoName, DEFAULT_VOUCH_FILE } from './settings';
export { knownBot } from './bots';
