#!/usr/bin/env node
// The CLI ships as one committed bundle, like the actions, so it starts
// without a TypeScript toolchain.
import '../dist/index.js';
