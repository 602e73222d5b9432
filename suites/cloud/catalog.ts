/**
 * The service catalog of a Keystone v3 token, and choosing an endpoint in it by service type,
 * region and interface, as keystoneauth does. The suite sends its token only to endpoints found
 * here (and to the identity URL it authenticated at).
 */
import { CloudAccessError } from './errors.ts';
import type { EndpointInterface } from './clouds-yaml.ts';

export interface CatalogEndpoint {
  readonly interface: string;
  readonly region: string | null;
  readonly url: string;
}

export interface CatalogService {
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The catalog as the token body gives it, with malformed entries left out. */
export function parseCatalog(value: unknown): CatalogService[] {
  if (!Array.isArray(value)) return [];
  const services: CatalogService[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.type !== 'string' || !Array.isArray(item.endpoints)) continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const endpoint of item.endpoints) {
      if (!isRecord(endpoint) || typeof endpoint.url !== 'string' || typeof endpoint.interface !== 'string') continue;
      const region = typeof endpoint.region_id === 'string' ? endpoint.region_id : typeof endpoint.region === 'string' ? endpoint.region : null;
      endpoints.push({ interface: endpoint.interface, region, url: endpoint.url.replace(/\/+$/, '') });
    }
    services.push({ type: item.type, name: typeof item.name === 'string' ? item.name : item.type, endpoints });
  }
  return services;
}

export interface EndpointChoice {
  readonly regionName: string | null;
  readonly interface: EndpointInterface;
}

/**
 * The URL of the service's endpoint for the region and interface. Without a region, the first
 * endpoint of the interface. Throws CloudAccessError naming what the catalog does offer.
 */
export function findEndpoint(catalog: readonly CatalogService[], type: string, choice: EndpointChoice): string {
  const service = catalog.find((s) => s.type === type);
  if (!service) throw new CloudAccessError(`the catalog has no ${type} service (services: ${catalog.map((s) => s.type).join(', ') || 'none'})`);
  const sameInterface = service.endpoints.filter((e) => e.interface === choice.interface);
  const match = choice.regionName === null ? sameInterface[0] : sameInterface.find((e) => e.region === choice.regionName);
  if (match) return match.url;
  const offered = service.endpoints.map((e) => `${e.interface}${e.region ? `/${e.region}` : ''}`).join(', ');
  const wanted = `${choice.interface}${choice.regionName ? ` in region ${choice.regionName}` : ''}`;
  throw new CloudAccessError(`the catalog has no ${type} endpoint ${wanted} (it offers ${offered || 'none'}); see --os-region-name and --os-interface`);
}

/** The origins of every endpoint in the catalog: where the token may go. */
export function catalogOrigins(catalog: readonly CatalogService[]): string[] {
  const origins = new Set<string>();
  for (const service of catalog) {
    for (const endpoint of service.endpoints) {
      try {
        origins.add(new URL(endpoint.url).origin);
      } catch {
        // A malformed URL in the catalog is simply not an origin the token may go to.
      }
    }
  }
  return [...origins];
}
