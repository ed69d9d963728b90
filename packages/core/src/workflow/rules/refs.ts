// The references several workflow rules cite.
export const REF = {
  zizmor: (audit: string) => ({ title: `zizmor: ${audit}`, url: `https://docs.zizmor.sh/audits/#${audit}` }),
  ultralytics: {
    title: 'Ultralytics branch-name injection (2024)',
    url: 'https://blog.yossarian.net/2024/12/06/zizmor-ultralytics-injection'
  },
  tj: {
    title: 'tj-actions/changed-files compromise (CVE-2025-30066)',
    url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
  },
  ghost: { title: 'GhostAction / Shai-Hulud: workflows that send secrets to outside hosts (2025)' },
  pytorch: {
    title: 'PyTorch self-hosted runner compromise (2024)',
    url: 'https://johnstawinski.com/2024/01/11/playing-with-fire-how-we-executed-a-critical-supply-chain-attack-on-pytorch/'
  },
  securityLab: {
    title: 'GitHub Security Lab: preventing pwn requests',
    url: 'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/'
  }
};
