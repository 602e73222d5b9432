#!/usr/bin/env node
// Installed entry point: the suite is TypeScript run through tsx's loader, exactly as
// `npm run conformance` runs it, so an installed copy and a checkout behave the same.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../suites/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
