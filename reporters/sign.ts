/**
 * Signed certification: an Ed25519 signature (node:crypto) over a statement of what a report
 * certifies, so a vendor can hand over a report and anyone with the public key can check that it
 * came from the key's holder and was not changed since.
 *
 * The signature is stored in the report (`signature`), outside the digest (digest.ts leaves it
 * out, since the statement contains the digest). The statement names: the report's digest (which
 * covers every result), the document's SHA-256, the hash of the ledger the requirements come from,
 * the suite version, and the run's environment (target URL, microversion and the target's
 * microversion range, runs, seed). Verifying checks the signature over the statement, that the
 * statement describes this very report, and that the key is the one that signed.
 *
 * The key is read from a PEM file, used in memory and never printed or written: reports carry
 * only its fingerprint, `SHA256:` and the base64 of the SHA-256 of its public key (DER, SPKI),
 * the form `ssh-keygen -l` prints.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledger } from '../specs/index.ts';
import { canonicalJson } from './digest.ts';
import { describeSignedEnvironment } from './present.ts';
import type { ConformanceReport, ReportSignature, SignedStatement } from './report-types.ts';

/** A key file that cannot be used: the CLI prints the message alone (exit 2). */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export const PRIVATE_KEY_FILE = 'conformance-signing.pem';
export const PUBLIC_KEY_FILE = 'conformance-signing.pub.pem';

/** SHA-256 of the ledger (canonical JSON of specs/generated/ledger.json). */
export function ledgerSha256(): string {
  return createHash('sha256').update(canonicalJson(ledger), 'utf8').digest('hex');
}

export function keyFingerprint(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64')
    .replace(/=+$/, '')}`;
}

function readPem(file: string, role: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new SigningKeyError(`cannot read the ${role} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

function requireEd25519(key: KeyObject, file: string, role: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `${file} is ${key.asymmetricKeyType === undefined ? 'not an asymmetric key' : `an ${key.asymmetricKeyType} key`}; the ${role} must be Ed25519 (make a pair with: npm run conformance -- keygen DIR)`,
    );
  return key;
}

/** The signer of a run: an Ed25519 private key read from a PEM file (checked before the run starts). */
export class ReportSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly fingerprint: string,
  ) {}

  static fromFile(file: string): ReportSigner {
    const pem = readPem(file, 'signing key');
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new SigningKeyError(
        `${file} is not a PEM private key; --sign-key needs an Ed25519 private key (make a pair with: npm run conformance -- keygen DIR)`,
      );
    }
    requireEd25519(key, file, 'signing key');
    return new ReportSigner(key, keyFingerprint(createPublicKey(key)));
  }

  /** The signature of a sealed report (its digest already computed). */
  sign(report: ConformanceReport, microversionRange: SignedStatement['environment']['microversionRange'], now: Date = new Date()): ReportSignature {
    const signed = statementOf(report, microversionRange, now.toISOString());
    return {
      algorithm: 'ed25519',
      keyFingerprint: this.fingerprint,
      signed,
      value: sign(null, Buffer.from(canonicalJson(signed), 'utf8'), this.privateKey).toString('base64'),
    };
  }
}

function statementOf(report: ConformanceReport, microversionRange: SignedStatement['environment']['microversionRange'], signedAt: string): SignedStatement {
  return {
    reportDigest: report.digest,
    documentSha256: report.document.sha256,
    ledgerSha256: ledgerSha256(),
    suiteVersion: report.suite.version,
    environment: { target: report.target.url, microversion: report.microversion, microversionRange, runs: report.runs, seed: report.seed },
    signedAt,
  };
}

export function readPublicKey(file: string): KeyObject {
  const pem = readPem(file, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new SigningKeyError(`${file} is not a PEM public key`);
  }
  return requireEd25519(key, file, 'public key');
}

export interface SignatureCheck {
  readonly ok: boolean;
  /** One line: what was verified, or why not. */
  readonly reason: string;
}

/** Checks a report's signature with a public key; the report's digest must have been verified first. */
export function checkSignature(report: ConformanceReport, publicKey: KeyObject): SignatureCheck {
  const signature = report.signature;
  if (signature === undefined) return { ok: false, reason: 'the report is not signed' };
  const fingerprint = keyFingerprint(publicKey);
  if (signature.keyFingerprint !== fingerprint)
    return { ok: false, reason: `signed with another key (${signature.keyFingerprint}), not with this one (${fingerprint})` };
  const { signed } = signature;
  const mismatches = [
    signed.reportDigest !== report.digest ? 'report digest' : null,
    signed.documentSha256 !== report.document.sha256 ? 'document SHA-256' : null,
    signed.suiteVersion !== report.suite.version ? 'suite version' : null,
    signed.environment.target !== report.target.url ? 'target' : null,
    signed.environment.microversion !== report.microversion ? 'microversion' : null,
    signed.environment.runs !== report.runs ? 'runs' : null,
    signed.environment.seed !== report.seed ? 'seed' : null,
  ].filter((m): m is string => m !== null);
  if (mismatches.length > 0) return { ok: false, reason: `the signed statement does not describe this report (${mismatches.join(', ')} differ)` };
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(signed), 'utf8'), publicKey, Buffer.from(signature.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: `the signature does not match the signed statement (changed after signing, or not made with ${fingerprint})` };
  return {
    ok: true,
    reason: `signed by ${fingerprint} at ${signed.signedAt}: digest ${signed.reportDigest.slice(0, 16)}…, document ${signed.documentSha256?.slice(0, 16) ?? '(unknown)'}…, ledger ${signed.ledgerSha256.slice(0, 16)}…, suite ${signed.suiteVersion}, ${describeSignedEnvironment(signed)}`,
  };
}

/** Writes a new key pair into dir; refuses to overwrite an existing key. Returns the two paths. */
export function generateKeyPair(dir: string): { privateKey: string; publicKey: string; fingerprint: string } {
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  for (const file of [privatePath, publicPath])
    if (existsSync(file)) throw new SigningKeyError(`${file} exists; keygen does not overwrite a key (choose another directory)`);
  const pair = generateKeyPairSync('ed25519');
  mkdirSync(dir, { recursive: true });
  writeFileSync(privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { encoding: 'utf8', mode: 0o600 });
  writeFileSync(publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }), { encoding: 'utf8', mode: 0o644 });
  return { privateKey: privatePath, publicKey: publicPath, fingerprint: keyFingerprint(pair.publicKey) };
}
