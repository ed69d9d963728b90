// Incidents and tools the content rules cite.
export const REFS = {
  TJ: {
    title: 'tj-actions/changed-files compromise (CVE-2025-30066)',
    url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
  },
  REVIEWDOG: {
    title: 'reviewdog/action-setup compromise (CVE-2025-30154)',
    url: 'https://github.com/advisories/GHSA-qmg3-hpqr-gqvc'
  },
  XZ: { title: 'xz-utils backdoor (CVE-2024-3094)', url: 'https://www.openwall.com/lists/oss-security/2024/03/29/4' },
  SHAI_HULUD: {
    title: 'Shai-Hulud npm worm: preinstall hook running an obfuscated bundle (2025)',
    url: 'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem'
  },
  GHOST: { title: 'GhostAction: workflows that post secrets to outside hosts (GitGuardian, 2025)' },
  GUARDDOG: {
    title: "GuardDog's source-code rules (DataDog)",
    url: 'https://github.com/DataDog/guarddog/tree/main/guarddog/analyzer/sourcecode'
  },
  CONFUSION: {
    title: 'Dependency confusion (Birsan, 2021); PyTorch torchtriton (2022)',
    url: 'https://pytorch.org/blog/compromised-nightly-dependency/'
  },
  SETUP_PY: {
    title: 'Malicious setup.py install commands on PyPI (Unit 42)',
    url: 'https://unit42.paloaltonetworks.com/malicious-packages-in-pypi/'
  }
} as const;
