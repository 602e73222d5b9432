/**
 * Redaction of credentials from everything the suite records.
 *
 * The suite knows every secret it was given (tokens, control token); each is replaced by the name of
 * a shell variable, so a curl line in a report still works once the reader exports that variable.
 * Headers that carry credentials are masked whatever their value. Which headers, and which variable
 * stands for which secret, is the one table in contract/redact.ts that the reports' redaction reads too.
 */
import { CREDENTIAL_HEADERS, MASK, type SecretVariable } from '../../contract/redact.ts';

export interface SecretBinding {
  readonly value: string;
  /** Shell variable that stands for it in reports and curl lines, e.g. "OS_TOKEN". */
  readonly variable: SecretVariable;
}

export class Redactor {
  private readonly secrets: readonly SecretBinding[];
  /** Credential-header values the suite made up itself (bogus tokens): safe, and needed to reproduce. */
  private readonly madeUp = new Set<string>();

  constructor(secrets: readonly SecretBinding[]) {
    // Longest first, so a secret that contains another is replaced whole. Very short values are
    // skipped: replacing "a" everywhere would garble reports without protecting anything.
    this.secrets = [...secrets].filter((s) => s.value.length >= 4).sort((a, b) => b.value.length - a.value.length);
  }

  /** Declare a header value the suite invented (e.g. a random token for the 401 check) as printable. */
  allowMadeUp(value: string): void {
    this.madeUp.add(value);
  }

  text(input: string): string {
    let out = input;
    for (const { value, variable } of this.secrets) {
      if (out.includes(value)) out = out.split(value).join(`$${variable}`);
    }
    return out;
  }

  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? this.maskCredential(value) : this.text(value);
    }
    return out;
  }

  /** A credential header keeps the variable name when the value is a known secret, else "***". */
  private maskCredential(value: string): string {
    const known = this.secrets.find((s) => s.value === value);
    if (known) return `$${known.variable}`;
    return value === '' || this.madeUp.has(value) ? this.text(value) : MASK;
  }
}
