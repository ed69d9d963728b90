// Import direction of the suite, checked by test/architecture.test.ts (and
// `npx depcruise -c .dependency-cruiser.cjs packages actions`):
//   core  <-  actions  <-  cli
// The core knows no action; an action never imports another; the CLI imports
// each action through its package root (its `exports`), never its files; no
// engine reaches process-spawning code; the workflow rules stay light; no
// cycles, type-only imports included.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-action',
      severity: 'error',
      comment: 'The core is shared by every action and must not depend on one.',
      from: { path: '^packages/core/' },
      to: { path: '^(actions/|packages/cli/)' }
    },
    {
      name: 'actions-are-independent',
      severity: 'error',
      comment: 'An action never imports another action; what two actions share belongs in the core.',
      from: { path: '^actions/([^/]+)/' },
      to: { path: '^actions/', pathNot: '^actions/$1/' }
    },
    {
      name: 'cli-imports-action-roots-only',
      severity: 'error',
      comment:
        'The CLI reaches an action through its package root (`@security-actions/<name>`), i.e. the file its package.json exports.',
      from: { path: '^packages/cli/' },
      to: { path: '^actions/[^/]+/', pathNot: '^actions/[^/]+/src/main\\.ts$' }
    },
    {
      name: 'no-deep-core-imports',
      severity: 'error',
      comment:
        "Outside the core, import '@security-actions/core' (or its '/sigstore', '/workflow', '/workflow-rules', '/content' or '/trust' entry), never its files.",
      from: { path: '^(actions|packages/cli)/' },
      to: {
        path: '^packages/core/src/',
        pathNot:
          '^packages/core/src/(index|sigstore/verify|workflow/index|workflow/rules/index|content/index|trust/index)\\.ts$'
      }
    },
    {
      name: 'engines-spawn-nothing',
      severity: 'error',
      comment:
        'Engines are pure over injected I/O: no engine reaches code that starts processes; the adapter (main.ts) passes it in.',
      from: { path: '^actions/[^/]+/src/engine\\.ts$' },
      to: { path: '^(node:)?child_process$', reachable: true }
    },
    {
      name: 'no-actions-core-entry',
      severity: 'error',
      comment:
        "@actions/core's entry loads its OIDC client, @actions/http-client and undici (most of an action's start-up): " +
        'import its lib modules (packages/core/src/runtime.ts).',
      from: {},
      to: { path: '@actions/core/lib/core\\.js$' }
    },
    {
      name: 'workflow-rules-stay-light',
      severity: 'error',
      comment:
        "The workflow audit's rules ('@security-actions/core/workflow-rules') load at every start of the actions that carry them: " +
        'they reach neither the YAML parser, nor the expression library, nor the workflow model and audits, which load ' +
        'only when a run reads a workflow.',
      from: { path: '^packages/core/src/workflow/rules/' },
      to: {
        path: '(^|/)node_modules/(yaml|@actions/expressions)/|^packages/core/src/workflow/(?!rules/|compromised\\.ts$)',
        reachable: true
      }
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles, type-only ones included, make layers impossible to test alone.',
      from: {},
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays out, except the entry files the rules name.
    exclude: {
      path: '^(actions|packages)/[^/]+/dist/|(^|/)node_modules/(?!@actions/core/lib/core\\.js$|yaml/dist/index\\.js$|@actions/expressions/dist/index\\.js$)'
    },
    // Type-only imports count: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] }
  }
};
