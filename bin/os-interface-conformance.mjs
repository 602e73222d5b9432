#!/usr/bin/env node
// Installed entry point: the suite is TypeScript run through tsx's loader, exactly as
// `npm run conformance` runs it, so an installed copy and a checkout behave the same.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
// Not awaited at the top level: a run whose last handles are gone (a stuck close after an interrupt)
// ends with the exit code set so far, not with node's "unsettled top-level await" (13).
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
