/**
 * Imports point one way (README, "Layout: the data flow"): every import of every .ts file in the
 * project's code folders is read, resolved to the file it names, and checked against what its folder
 * may import. A failure names the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Layer = 'specs' | 'generators' | 'fixtures' | 'contract' | 'suites' | 'reporters' | 'cli';

/**
 * What each folder may import besides itself (and node or npm packages). `cli` composes everything.
 * Paths are relative to the project root; a folder allows every file below it.
 */
const MAY_IMPORT: Readonly<Record<Layer, readonly string[] | 'anything'>> = {
  specs: [],
  generators: ['specs'],
  fixtures: ['specs'],
  contract: ['specs'],
  // The embedded fake cloud is the suite's default target: the harness starts it through its entry point.
  suites: ['specs', 'generators', 'contract', 'fixtures/fake-cloud/index.ts'],
  reporters: ['specs', 'contract'],
  cli: 'anything',
};

const LAYERS = Object.keys(MAY_IMPORT) as Layer[];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'generated') out.push(...tsFiles(full));
    } else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Static imports and exports (`import … from`, `export … from`, side-effect `import '…'`) and dynamic `import('…')`. */
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(source: string): string[] {
  // Comments may quote an import ("see `import x from '../y.ts'`"): only code counts.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((s) => s.length > 0);
}

function layerOf(relative: string): Layer | undefined {
  return LAYERS.find((layer) => relative === layer || relative.startsWith(`${layer}/`));
}

function allows(rule: readonly string[] | 'anything', own: Layer, target: string): boolean {
  if (rule === 'anything' || target === own || target.startsWith(`${own}/`)) return true;
  return rule.some((allowed) => target === allowed || target.startsWith(`${allowed}/`));
}

interface Breach {
  readonly file: string;
  readonly imports: string;
  readonly written: string;
}

function breaches(): Breach[] {
  const out: Breach[] = [];
  for (const layer of LAYERS) {
    for (const file of tsFiles(path.join(ROOT, layer))) {
      const from = path.relative(ROOT, file).split(path.sep).join('/');
      for (const written of importsOf(readFileSync(file, 'utf8'))) {
        if (!written.startsWith('.')) continue; // node: and npm packages
        const target = path
          .relative(ROOT, path.resolve(path.dirname(file), written))
          .split(path.sep)
          .join('/');
        if (!allows(MAY_IMPORT[layer], layer, target)) out.push({ file: from, imports: target, written });
      }
    }
  }
  return out;
}

describe('layering: imports point one way', () => {
  const found = breaches();

  it('no folder imports from a folder it must not (README, "Layout: the data flow")', () => {
    const lines = found.map(
      (b) => `${b.file} imports '${b.written}' (${b.imports}): ${b.file.split('/')[0]} may import ${JSON.stringify(MAY_IMPORT[layerOf(b.file) ?? 'cli'])}`,
    );
    expect(lines).toEqual([]);
  });

  it('reads every kind of import, and no import quoted in a comment', () => {
    const source = [
      "import type { A } from '../a.ts';",
      "import { b } from '../b.ts';",
      "export { c } from './c.ts';",
      "import './d.ts';",
      "const e = await import('../e.ts');",
      "// import { f } from '../f.ts';",
      "/** see import { g } from '../g.ts' */",
    ].join('\n');
    expect(importsOf(source)).toEqual(['../a.ts', '../b.ts', './c.ts', './d.ts', '../e.ts']);
  });

  it('flags an import that goes the wrong way', () => {
    expect(allows(MAY_IMPORT.reporters, 'reporters', 'suites/harness/http.ts')).toBe(false);
    expect(allows(MAY_IMPORT.suites, 'suites', 'reporters/har.ts')).toBe(false);
    expect(allows(MAY_IMPORT.suites, 'suites', 'fixtures/fake-cloud/faults.ts')).toBe(false);
    expect(allows(MAY_IMPORT.specs, 'specs', 'generators/ip.ts')).toBe(false);
    expect(allows(MAY_IMPORT.fixtures, 'fixtures', 'specs/formats/ipv4.ts')).toBe(true);
    expect(allows(MAY_IMPORT.cli, 'cli', 'fixtures/fake-cloud/faults.ts')).toBe(true);
  });
});
