#!/usr/bin/env node
// The CLI ships as one committed bundle, like the actions, so it starts
// without a TypeScript toolchain. It runs on the Node.js of package.json's
// `engines` (24, which `npm ci` installs into node_modules/.bin, where `npx`
// finds it first); on an older Node it says so instead of failing somewhere
// inside.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `sp-security needs Node.js 24 or later; this is Node.js ${process.versions.node}. ` +
      'Run it as `npx sp-security` in the security-actions checkout: `npm ci` installs Node.js 24 into node_modules.\n'
  );
  process.exit(2);
}
await import('../dist/index.js');
