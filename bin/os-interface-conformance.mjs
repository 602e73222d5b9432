#!/usr/bin/env node
// Installed entry point: the suite is TypeScript run through tsx's loader, exactly as
// `npm run conformance` runs it, so an installed copy and a checkout behave the same.
import { register } from 'tsx/esm/api';

register();
await import('../suites/cli/main.ts');
