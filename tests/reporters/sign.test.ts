/**
 * Signed certification (reporters/sign.ts): keygen, sign, verify, and each way verifying must
 * fail, with its exit code and its one line. In process, through the same command functions the
 * CLI calls; one CLI call checks that a bad --sign-key stops a run before it starts.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { keygenCommand, verifyCommand, type CommandOutput } from '../../reporters/cli-commands.ts';
import { renderReportHtml } from '../../reporters/render-html.ts';
import { renderReportMarkdown } from '../../reporters/render-md.ts';
import type { ConformanceReport } from '../../reporters/report-types.ts';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, ReportSigner, SigningKeyError, ledgerSha256 } from '../../reporters/sign.ts';
import { writeReportFiles } from '../../reporters/write.ts';
import { PROJECT_ROOT, scratchDir } from './helpers.ts';
import { sampleReportBody } from './sample-report.ts';

beforeEach(() => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
});

interface Captured extends CommandOutput {
  readonly lines: { out: string[]; err: string[] };
}

function capture(): Captured {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: (line) => lines.out.push(line), err: (line) => lines.err.push(line) };
}

function keyPair(): { dir: string; privateKey: string; publicKey: string } {
  const dir = scratchDir('keys');
  const io = capture();
  expect(keygenCommand(dir, io)).toBe(0);
  return { dir, privateKey: join(dir, PRIVATE_KEY_FILE), publicKey: join(dir, PUBLIC_KEY_FILE) };
}

function signedReport(privateKey: string): { path: string; report: ConformanceReport } {
  const signer = ReportSigner.fromFile(privateKey);
  const { files, report } = writeReportFiles(sampleReportBody(), scratchDir('signed'), { sign: (sealed) => signer.sign(sealed, { min: '2.1', max: '2.96' }) });
  return { path: files.json, report };
}

function verify(file: string, publicKey: string | null): { code: number; out: string[]; err: string[] } {
  const io = capture();
  const code = verifyCommand(file, io, publicKey);
  return { code, ...io.lines };
}

describe('signed certification', () => {
  const keys = keyPair();
  const signed = signedReport(keys.privateKey);

  test('keygen writes an Ed25519 pair, the private key readable by its owner only, and refuses to overwrite it', () => {
    expect(readFileSync(keys.privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(keys.publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const io = capture();
    expect(keygenCommand(keys.dir, io)).toBe(2);
    expect(io.lines.err).toHaveLength(1);
    expect(io.lines.err[0]).toMatch(/exists; keygen does not overwrite a key/);
  });

  test('sign, then verify: exit 0, one line naming the key and what was signed', () => {
    const signature = signed.report.signature;
    expect(signature?.signed).toMatchObject({
      reportDigest: signed.report.digest,
      documentSha256: signed.report.document.sha256,
      ledgerSha256: ledgerSha256(),
      suiteVersion: signed.report.suite.version,
    });
    expect(signature?.signed.environment).toEqual({
      target: signed.report.target.url,
      microversion: signed.report.microversion,
      microversionRange: { min: '2.1', max: '2.96' },
      runs: signed.report.runs,
      seed: signed.report.seed,
    });
    const result = verify(signed.path, keys.publicKey);
    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out).toHaveLength(1);
    expect(result.out[0]).toContain(`signature valid: signed by ${signature?.keyFingerprint ?? '?'}`);
    // Without a key the digest still verifies (the signature is outside it), and the line names the claimed signer.
    const unkeyed = verify(signed.path, null);
    expect(unkeyed.code).toBe(0);
    expect(unkeyed.out[0]).toContain(`(this report says it was signed by ${signature?.keyFingerprint ?? '?'})`);
  });

  test('the Markdown and HTML show the fingerprint and what was signed, and no key material appears anywhere', () => {
    const fingerprint = signed.report.signature?.keyFingerprint ?? '?';
    const markdown = renderReportMarkdown(signed.report);
    const html = renderReportHtml(signed.report);
    for (const text of [markdown, html]) {
      expect(text).toContain(fingerprint);
      expect(text).toContain(ledgerSha256());
      expect(text).toContain('Signature covers');
    }
    const privatePem = readFileSync(keys.privateKey, 'utf8');
    const publicPem = readFileSync(keys.publicKey, 'utf8');
    const keyBodies = [privatePem, publicPem].map((pem) =>
      pem
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('-----'))
        .join(''),
    );
    const dir = join(signed.path, '..');
    for (const file of readdirSync(dir)) {
      const content = readFileSync(join(dir, file), 'utf8');
      for (const body of keyBodies) expect(content, file).not.toContain(body);
    }
  });

  test('a report changed after signing (one field) fails: exit 1, one line', () => {
    const path = join(scratchDir('tampered'), 'conformance.json');
    const json = JSON.parse(readFileSync(signed.path, 'utf8')) as { verdict: { reason: string } };
    json.verdict.reason = 'all good, trust me';
    writeFileSync(path, JSON.stringify(json));
    const result = verify(path, keys.publicKey);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/tampered: digest mismatch/);
  });

  test('a report whose digest was recomputed after a change still fails on the signature: exit 1', async () => {
    const { computeDigest } = await import('../../reporters/digest.ts');
    const path = join(scratchDir('redigested'), 'conformance.json');
    const json = JSON.parse(readFileSync(signed.path, 'utf8')) as ConformanceReport & { seed: number | null; digest: string };
    const edited = { ...json, seed: 999 };
    writeFileSync(path, JSON.stringify({ ...edited, digest: computeDigest(edited) }));
    const result = verify(path, keys.publicKey);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/signature not valid: the signed statement does not describe this report \(report digest, seed differ\)/);
  });

  test('another key: exit 1, one line naming both fingerprints', () => {
    const other = keyPair();
    const result = verify(signed.path, other.publicKey);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/signature not valid: signed with another key \(SHA256:\S+\), not with this one \(SHA256:\S+\)/);
  });

  test('an unsigned report with a key: exit 1', () => {
    const { files } = writeReportFiles(sampleReportBody(), scratchDir('unsigned'));
    const result = verify(files.json, keys.publicKey);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([`${files.json}: signature not valid: the report is not signed`]);
  });

  test('a missing key file: exit 2 on verify, SigningKeyError on sign', () => {
    const missing = join(keys.dir, 'no-such-key.pem');
    const result = verify(signed.path, missing);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([`${signed.path}: not checked: cannot read the public key ${missing}: ENOENT`]);
    expect(() => ReportSigner.fromFile(missing)).toThrow(SigningKeyError);
    expect(() => ReportSigner.fromFile(missing)).toThrow(`cannot read the signing key ${missing}: ENOENT`);
  });

  test('a key of another type (RSA, EC) or a file that is no key: exit 2 / refused, one line', () => {
    const dir = scratchDir('other-keys');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'rsa.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'rsa.pub.pem'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'ec.pub.pem'), ec.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'garbage.pem'), 'not a key\n');
    expect(() => ReportSigner.fromFile(join(dir, 'rsa.pem'))).toThrow(/rsa\.pem is an rsa key; the signing key must be Ed25519/);
    expect(() => ReportSigner.fromFile(join(dir, 'garbage.pem'))).toThrow(/is not a PEM private key/);
    // A public key given as --sign-key is not a private key.
    expect(() => ReportSigner.fromFile(keys.publicKey)).toThrow(/is not a PEM private key/);
    for (const [file, message] of [
      ['rsa.pub.pem', /is an rsa key; the public key must be Ed25519/],
      ['ec.pub.pem', /is an ec key; the public key must be Ed25519/],
      ['garbage.pem', /is not a PEM public key/],
    ] as const) {
      const result = verify(signed.path, join(dir, file));
      expect(result.code, file).toBe(2);
      expect(result.err, file).toHaveLength(1);
      expect(result.err[0], file).toMatch(message);
    }
  });

  test('npm run conformance -- --sign-key with a missing file stops before the run: exit 2, one line', async () => {
    const reportDir = scratchDir('cli-sign');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(PROJECT_ROOT, 'bin/os-interface-conformance.mjs'), '--report-dir', reportDir, '--sign-key', join(reportDir, 'missing.pem')],
        { cwd: PROJECT_ROOT, timeout: 60_000 },
        (error, _stdout, stderr) => {
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr });
        },
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([`conformance: cannot read the signing key ${join(reportDir, 'missing.pem')}: ENOENT`]);
    expect(readdirSync(reportDir)).toEqual([]);
  });
});
