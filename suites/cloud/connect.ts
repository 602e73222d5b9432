/**
 * Connecting to a cloud named by clouds.yaml or the OS_* variables: read its profile, authenticate
 * at Keystone, and find the compute, network and image endpoints in the catalog for the region and
 * interface. The result serves the CLI process (provisioning, leak check, cleanup) and, as a
 * handoff, the test workers.
 */
import type { SuiteConfig } from '../harness/config.ts';
import { HttpClient, type TlsSettings } from '../harness/http.ts';
import { Redactor } from '../harness/redact.ts';
import { AuthorizedSender } from './authorized.ts';
import { catalogOrigins, findEndpoint, type CatalogService } from './catalog.ts';
import { CloudApi, imageApi, networkApi } from './cloud-api.ts';
import { loadCloudProfile, type CloudProfile } from './clouds-yaml.ts';
import { RenewableToken } from './credential.ts';
import { authenticate, authSecrets } from './keystone.ts';
import type { Manners } from './manners.ts';

export interface CloudConnection {
  readonly profile: CloudProfile;
  readonly tls: TlsSettings;
  readonly credential: RenewableToken;
  readonly projectId: string;
  /** The catalog's compute endpoint (usually with the project segment). */
  readonly computeUrl: string;
  /** Neutron API (…/v2.0), when the catalog has a network service. */
  readonly networkUrl: string | null;
  readonly imageUrl: string | null;
  /** Where the suite's token may be sent: the catalog's origins and the identity endpoint's. */
  readonly allowedOrigins: readonly string[];
  readonly api: CloudApi;
}

function optionalEndpoint(catalog: readonly CatalogService[], type: string, profile: CloudProfile): string | null {
  return catalog.some((s) => s.type === type) ? findEndpoint(catalog, type, { regionName: profile.regionName, interface: profile.interface }) : null;
}

export async function connectCloud(config: SuiteConfig, manners: Manners, env: Readonly<Record<string, string | undefined>>): Promise<CloudConnection> {
  const selection = config.cloud;
  const profile = loadCloudProfile({
    env,
    overrides: {
      cloud: selection?.name ?? null,
      regionName: selection?.regionName ?? null,
      interface: selection?.interface ?? null,
      cacert: config.cacert,
      insecure: config.insecure,
    },
  });
  const tls: TlsSettings = { caFile: profile.cacert, insecure: profile.insecure };
  const client = new HttpClient(new Redactor(authSecrets(profile.auth)), { timeoutMs: config.timeoutMs, tls, manners });
  const obtainedAt = Date.now();
  const issued = await authenticate(client, profile.authUrl, profile.auth);
  const choice = { regionName: profile.regionName, interface: profile.interface };
  const computeUrl = findEndpoint(issued.catalog, 'compute', choice);
  const network = optionalEndpoint(issued.catalog, 'network', profile);
  const image = optionalEndpoint(issued.catalog, 'image', profile);
  const credential = new RenewableToken({ authUrl: profile.authUrl, auth: profile.auth, token: issued.token, expiresAt: issued.expiresAt, obtainedAt }, client);
  const allowedOrigins = [...new Set([...catalogOrigins(issued.catalog), new URL(profile.authUrl).origin])];
  const networkUrl = network === null ? null : networkApi(network);
  const imageUrl = image === null ? null : imageApi(image);
  const sender = new AuthorizedSender(client, credential, new Set(allowedOrigins));
  return {
    profile,
    tls,
    credential,
    projectId: issued.projectId,
    computeUrl,
    networkUrl,
    imageUrl,
    allowedOrigins,
    api: new CloudApi(sender, credential, { compute: computeUrl, network: networkUrl, image: imageUrl }),
  };
}
