// Public surface of the shared core. Actions and the CLI import from here;
// Sigstore verification is the separate entry '@security-actions/core/sigstore'
// so that actions which never verify a bundle do not load sigstore-js, and the
// workflow audit is '@security-actions/core/workflow' (its data and expression
// parser are 300 KB of bundle that an action reading no workflow need not carry),
// and contributor trust is '@security-actions/core/trust'.
export * from './severity';
export * from './spec';
export * from './findings';
export * from './rules';
export * from './suppress';
export * from './errors';
export * from './inputs';
export * from './config';
export * from './markdown';
export * from './chart';
export * from './sarif';
export * from './report';
export * from './github';
export * from './marked';
export * from './action';
export * from './runtime';
export * from './yaml';
export * from './workflows';
export * from './files';
export * from './python/index';
export * from './typosquat';
export * from './http';
export * from './limit';
export * from './sorted';
export * from './literals';
export * from './pypi';
export * from './python/pep440';
export * from './visibility';
