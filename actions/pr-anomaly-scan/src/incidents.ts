// The incidents the rules cite as references.

export const XZ = {
  title: 'xz-utils backdoor (CVE-2024-3094)',
  url: 'https://www.openwall.com/lists/oss-security/2024/03/29/4'
};
export const XZ_LANDLOCK = {
  title: 'xz-utils: Landlock feature test sabotaged by a stray character (commit 328c52da, fixed in f9cf4c05)',
  url: 'https://github.com/tukaani-project/xz/commit/f9cf4c05edd14dedfe63833f8ccbe41b55823b00'
};
export const ULTRALYTICS = {
  title: 'Ultralytics branch-name injection (2024)',
  url: 'https://blog.yossarian.net/2024/12/06/zizmor-ultralytics-injection'
};
export const TJ = {
  title: 'tj-actions/changed-files compromise (CVE-2025-30066)',
  url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
};
export const GHOST = { title: 'GhostAction / Shai-Hulud: workflows that send secrets to outside hosts (2025)' };
