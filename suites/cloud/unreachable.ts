/**
 * One line that says why an endpoint could not be used, from the transport error code: DNS, TLS,
 * refused connection, timeout. These are what a CI log shows when the cloud is misconfigured, so
 * each names the host and what to do.
 */

const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const TLS_HANDSHAKE = /^(EPROTO|ERR_SSL_|ERR_TLS_|ECONNRESET)/;

function describeOrigin(url: string): { origin: string; host: string } {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, host: parsed.hostname };
  } catch {
    return { origin: url, host: url };
  }
}

/** The peer answered, but not with HTTP the parser could read (llhttp's HPE_* codes). */
export function brokenAnswer(code: string | undefined): boolean {
  return code?.startsWith('HPE_') === true;
}

export function explainUnreachable(url: string, code: string | undefined, detail: string | undefined): string {
  const { origin, host } = describeOrigin(url);
  const isHttps = origin.startsWith('https:');
  switch (true) {
    case code?.startsWith('HTTP_') === true:
      return `${origin} kept answering ${code.slice(5)}: ${detail ?? 'retries exhausted'}`;
    case code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL':
      return `DNS: cannot resolve ${host} (${code}); check the URL (${origin})`;
    case brokenAnswer(code):
      return `${origin} answered with broken HTTP (${detail ?? code}); is it an HTTP service, and the right port?`;
    case code === 'ECONNREFUSED':
      return `connection refused by ${origin}`;
    case code === 'TIMEOUT':
      return `no answer from ${origin} (${detail ?? 'timeout'})`;
    case code === 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: the certificate of ${origin} is not for ${host} (ERR_TLS_CERT_ALTNAME_INVALID)`;
    case code !== undefined && TLS_UNTRUSTED.has(code):
      return `TLS: the certificate of ${origin} is not trusted (${code}); give --cacert FILE (or --insecure to skip verification)`;
    case code !== undefined && TLS_EXPIRED.has(code):
      return `TLS: the certificate of ${origin} is not valid now (${code})`;
    case isHttps && code !== undefined && TLS_HANDSHAKE.test(code):
      return `TLS: the handshake with ${origin} failed (${code}); is it an https endpoint?`;
    default:
      return `cannot reach ${origin}: ${detail ?? code ?? 'no answer'}`;
  }
}
