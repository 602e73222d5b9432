/**
 * The two ways a real-cloud run can fail before it judges anything, each printed as one line by the
 * CLI with exit 2: the configuration is wrong (a missing key, an unknown cloud), or the cloud cannot
 * be used (DNS, TLS, refused credentials, no endpoint in the catalog). Neither message ever quotes a
 * secret.
 */
import { ConfigError } from '../harness/config.ts';

export class CloudConfigError extends ConfigError {}

export class CloudAccessError extends Error {
  override readonly name = 'CloudAccessError';
}

/** The run was stopped (signal or deadline) while it was preparing. */
export class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
}
