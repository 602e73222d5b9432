/**
 * specs/generated/ is what `npm run specs` would write today, byte for byte; and the build command
 * behaves as documented (--check, exit codes, one-line errors).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBuild } from '../../specs/build.ts';
import { GENERATED_DIR_URL, generateSpecFiles, SOURCE_DOCUMENT_NAME } from '../../specs/derive/generated-files.ts';
import { seedText } from './support/reference-data.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATED = fileURLToPath(GENERATED_DIR_URL);

describe('specs/generated', () => {
  const files = generateSpecFiles(seedText(), SOURCE_DOCUMENT_NAME);

  it.each(files.map((file) => [file.name, file.content]))('%s is not stale (run npm run specs if this fails)', (name, content) => {
    expect(readFileSync(join(GENERATED, name), 'utf8')).toBe(content);
  });

  it('holds exactly the generated files', () => {
    expect(readdirSync(GENERATED).sort()).toEqual(files.map((file) => file.name).sort());
  });

  it('is deterministic: JSON keys sorted, one trailing newline', () => {
    expect(generateSpecFiles(seedText(), SOURCE_DOCUMENT_NAME)).toEqual(files);
    for (const file of files) expect(file.content.endsWith('\n') && !file.content.endsWith('\n\n'), file.name).toBe(true);
    const schemas = JSON.parse(files.find((file) => file.name === 'schemas.json')?.content ?? '{}') as object;
    expect(Object.keys(schemas)).toEqual([...Object.keys(schemas)].sort());
  });

  it('ledger.md shows the document, each interpretation, the requirement tables and each requirement', () => {
    const markdown = files.find((file) => file.name === 'ledger.md')?.content ?? '';
    expect(markdown).toContain(`- Name: \`${SOURCE_DOCUMENT_NAME}\``);
    expect(markdown).toContain('### INT-01: The "(Required)" marks on port_id, net_id and fixed_ips');
    expect(markdown).toContain('### Mutual exclusion\n\n| Id | Level | Title | Statuses | Interpretations |');
    expect(markdown).toContain('| [CI-020](#ci-020) | MUST | net_id and port_id together are refused with 400, attaching nothing | 400 | INT-01, INT-05 |');
    expect(markdown).toContain('### CI-063\n\n**MUST**: Every answer carries a documented or ledger-accepted status code');
    expect(markdown).toContain('- Documented response-code rows: 1, 2, 3, 4, 5, 6, 7, 8');
  });
});

describe('the build command', () => {
  const scratch: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'specs-build-'));
    scratch.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function build(argv: string[]): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runBuild(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  }

  it('writes the files into --out, then --check finds them up to date', () => {
    const out = tempDir();
    expect(build(['--out', out]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ledger.json', 'ledger.md', 'operation.json', 'schemas.json']);
    const check = build(['--check', '--out', out]);
    expect(check).toMatchObject({ code: 0, err: [] });
  });

  it('--check exits 1 naming the stale and missing files, and writes nothing', () => {
    const out = tempDir();
    build(['--out', out]);
    writeFileSync(join(out, 'schemas.json'), '{}\n');
    rmSync(join(out, 'ledger.md'));
    const check = build(['--check', '--out', out]);
    expect(check.code).toBe(1);
    expect(check.err).toHaveLength(1);
    expect(check.err[0]).toMatch(/^specs: stale: .*schemas\.json, .*ledger\.md \(run npm run specs\)$/);
    expect(readFileSync(join(out, 'schemas.json'), 'utf8')).toBe('{}\n');
  });

  it('bad arguments: one line on stderr, exit 2', () => {
    for (const argv of [['--bogus'], ['--out'], ['--source', '--check']]) {
      const result = build(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toHaveLength(1);
      expect(result.err[0]).toMatch(/^specs: .* \(usage: tsx specs\/build\.ts \[--check\] \[--source FILE\] \[--out DIR\]\)$/);
    }
  });

  it('an unreadable source: one line naming file and line, exit 2, nothing written', () => {
    const dir = tempDir();
    const source = join(dir, 'broken.rst');
    writeFileSync(source, seedText().replace('|{server_id}               |', '|{server_id}                |'));
    const out = join(dir, 'out');
    const result = build(['--source', source, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^specs: .*broken\.rst:55: misaligned column border/);
    expect(() => readdirSync(out)).toThrow();
  });

  it('a missing source: one line, exit 2', () => {
    const result = build(['--source', join(tempDir(), 'absent.rst')]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/^specs: .*absent\.rst: cannot read the source document \(ENOENT\)$/)]);
  });

  it('runs as a script under tsx: --check passes on the checked-in files; errors print no stack trace', () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const check = spawnSync(tsx, ['specs/build.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('specs: specs/generated is up to date\n');
    expect(check.status).toBe(0);

    const source = join(tempDir(), 'later.rst');
    writeFileSync(source, '\nCreate Interface\n================\n\n.. rest_method:: POST /v2.1/{tenant_id}/servers/{server_id}/os-interface\n');
    const refused = spawnSync(tsx, ['specs/build.ts', '--check', '--source', source], { cwd: ROOT, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^specs: .*later\.rst:5: '\.\. rest_method::' belongs to the later os-api-ref format/);
  });
});
