/**
 * --provision: creates what the suite needs on a cloud (a network with an IPv4 subnet, free ports,
 * a boot port and a server from a flavor and an image), then waits for the server to be ACTIVE.
 *
 * Every resource is announced in the ledger before its create request and confirmed with its id
 * after it, so that a run stopped at any point leaves nothing the ledger cannot find. Names carry
 * the run id ("osi-<run>-..."): cleanup looks up by exact name what it never saw the id of.
 */
import type { CloudApi } from './cloud-api.ts';
import { CloudAccessError, RunInterrupted } from './errors.ts';
import type { ResourceLedger } from './ledger.ts';
import { sleep } from '../harness/async.ts';

export interface ProvisionOptions {
  readonly flavor: string | null;
  readonly image: string | null;
  readonly bootTimeoutMs: number;
  /** Free ports to create for the suite's attach scenarios. */
  readonly portCount: number;
  readonly signal: AbortSignal;
}

export interface Provisioned {
  readonly serverId: string;
  readonly portIds: readonly string[];
  readonly netId: string;
  readonly subnet: { readonly id: string; readonly cidr: string };
}

/** Polls of the booting server that may go unanswered in a row before provisioning gives up. */
const UNANSWERED_POLLS = 3;

interface Flavor {
  readonly id: string;
  readonly name: string;
  readonly ram: number;
  readonly vcpus: number;
  readonly disk: number;
}

interface Image {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly minRam: number;
  readonly minDisk: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Resource names: the run id makes them unique, so a lookup by name finds this run's only. */
export function resourceName(runId: string, role: string): string {
  return `osi-${runId}-${role}`;
}

/** A private /24 chosen from the run id: runs side by side on one project get different ones. */
export function subnetCidrFor(runId: string): string {
  const n = Number.parseInt(runId.slice(0, 4), 16) || 0;
  return `10.${200 + (n % 50)}.${(n >> 6) % 256}.0/24`;
}

export class Provisioner {
  constructor(
    private readonly api: CloudApi,
    private readonly ledger: ResourceLedger,
    private readonly options: ProvisionOptions,
  ) {}

  private checkpoint(): void {
    if (this.options.signal.aborted) throw new RunInterrupted('interrupted while provisioning');
  }

  private networkApi(): string {
    const { network } = this.api.endpoints;
    if (network === null) throw new CloudAccessError('--provision needs a network endpoint in the catalog');
    return network;
  }

  /** Announce, create, confirm: the create answer's `key` object must carry an id. */
  private async create(
    kind: 'network' | 'subnet' | 'port' | 'server',
    collectionUrl: string,
    findUrl: string,
    name: string,
    key: string,
    body: Record<string, unknown>,
    expected: number,
  ): Promise<Record<string, unknown>> {
    this.checkpoint();
    this.ledger.record({ event: 'creating', kind, name, find_url: findUrl });
    const result = await this.api.call('POST', collectionUrl, { [key]: { name, ...body } });
    if (!result.ok) throw new CloudAccessError(`creating the ${kind} ${name}: ${result.error}`);
    const created = isRecord(result.json) ? result.json[key] : undefined;
    if (result.status !== expected || !isRecord(created) || typeof created.id !== 'string') {
      throw new CloudAccessError(`creating the ${kind} ${name}: the cloud answered ${result.status}${messageOf(result.json)}`);
    }
    const itemUrl = `${collectionUrl}/${encodeURIComponent(created.id)}`;
    this.ledger.record({ event: 'created', kind, id: created.id, url: itemUrl, name });
    return created;
  }

  async run(runId: string): Promise<Provisioned> {
    const network = this.networkApi();
    const name = (role: string): string => resourceName(runId, role);
    const find = (collection: string, role: string): string => `${network}/${collection}?name=${encodeURIComponent(name(role))}`;

    const net = await this.create('network', `${network}/networks`, find('networks', 'net'), name('net'), 'network', {}, 201);
    const cidr = subnetCidrFor(runId);
    const subnet = await this.create(
      'subnet',
      `${network}/subnets`,
      find('subnets', 'subnet'),
      name('subnet'),
      'subnet',
      { network_id: net.id, cidr, ip_version: 4 },
      201,
    );
    const portIds: string[] = [];
    for (let i = 1; i <= this.options.portCount; i++) {
      const port = await this.create('port', `${network}/ports`, find('ports', `port-${i}`), name(`port-${i}`), 'port', { network_id: net.id }, 201);
      portIds.push(String(port.id));
    }
    const bootPort = await this.create('port', `${network}/ports`, find('ports', 'boot'), name('boot'), 'port', { network_id: net.id }, 201);
    const image = await this.chooseImage();
    const flavor = await this.chooseFlavor(image);
    const compute = this.api.endpoints.compute;
    const serverName = name('server');
    const server = await this.create(
      'server',
      `${compute}/servers`,
      `${compute}/servers?name=${encodeURIComponent(serverName)}`,
      serverName,
      'server',
      {
        flavorRef: flavor.id,
        imageRef: image.id,
        networks: [{ port: bootPort.id }],
      },
      202,
    );
    await this.waitActive(String(server.id));
    return {
      serverId: String(server.id),
      portIds,
      netId: String(net.id),
      subnet: { id: String(subnet.id), cidr: typeof subnet.cidr === 'string' ? subnet.cidr : cidr },
    };
  }

  private async chooseImage(): Promise<Image> {
    this.checkpoint();
    const endpoint = this.api.endpoints.image;
    if (endpoint === null) throw new CloudAccessError('--provision needs an image endpoint in the catalog');
    const items = await this.api.list(`${endpoint}/images?status=active`, 'images');
    if (items === null) throw new CloudAccessError('the image list could not be read');
    const images: Image[] = items
      .filter((i) => typeof i.id === 'string' && (i.status === undefined || i.status === 'active'))
      .map((i) => ({
        id: String(i.id),
        name: typeof i.name === 'string' ? i.name : '',
        size: numberOr(i.size, Number.MAX_SAFE_INTEGER),
        minRam: numberOr(i.min_ram, 0),
        minDisk: numberOr(i.min_disk, 0),
      }));
    const wanted = this.options.image;
    if (wanted !== null) {
      const found = images.find((i) => i.id === wanted) ?? images.find((i) => i.name === wanted);
      if (!found)
        throw new CloudAccessError(
          `image "${wanted}" is not an active image of the cloud (images: ${
            images
              .map((i) => i.name || i.id)
              .slice(0, 10)
              .join(', ') || 'none'
          })`,
        );
      return found;
    }
    const smallest = [...images].sort((a, b) => a.size - b.size)[0];
    if (!smallest) throw new CloudAccessError('the cloud has no active image to boot the server from (give --image)');
    return smallest;
  }

  private async chooseFlavor(image: Image): Promise<Flavor> {
    this.checkpoint();
    const items = await this.api.list(`${this.api.endpoints.compute}/flavors/detail`, 'flavors');
    if (items === null) throw new CloudAccessError('the flavor list could not be read');
    const flavors: Flavor[] = items
      .filter((f) => typeof f.id === 'string' && f['OS-FLV-DISABLED:disabled'] !== true)
      .map((f) => ({
        id: String(f.id),
        name: typeof f.name === 'string' ? f.name : '',
        ram: numberOr(f.ram, 0),
        vcpus: numberOr(f.vcpus, 0),
        disk: numberOr(f.disk, 0),
      }));
    const wanted = this.options.flavor;
    if (wanted !== null) {
      const found = flavors.find((f) => f.id === wanted) ?? flavors.find((f) => f.name === wanted);
      if (!found)
        throw new CloudAccessError(
          `flavor "${wanted}" is not a flavor of the cloud (flavors: ${
            flavors
              .map((f) => f.name || f.id)
              .slice(0, 10)
              .join(', ') || 'none'
          })`,
        );
      return found;
    }
    // The smallest that fits the image: least RAM, then vCPUs, then disk.
    const fitting = flavors.filter((f) => f.ram >= image.minRam && (f.disk === 0 || f.disk >= image.minDisk));
    const smallest = fitting.sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus || a.disk - b.disk)[0];
    if (!smallest) throw new CloudAccessError(`no flavor fits the image ${image.name || image.id} (give --flavor)`);
    return smallest;
  }

  private async waitActive(serverId: string): Promise<void> {
    const deadline = Date.now() + this.options.bootTimeoutMs;
    let pause = 100;
    let status = 'unknown';
    let unanswered = 0;
    for (;;) {
      this.checkpoint();
      const result = await this.api.call('GET', `${this.api.endpoints.compute}/servers/${encodeURIComponent(serverId)}`);
      // A cloud that stopped answering will not say ACTIVE either: stop rather than poll until the boot timeout.
      unanswered = result.ok ? 0 : unanswered + 1;
      if (!result.ok && unanswered >= UNANSWERED_POLLS)
        throw new CloudAccessError(`the cloud stopped answering while the provisioned server booted: ${result.error}`);
      const server = result.ok && isRecord(result.json) && isRecord(result.json.server) ? result.json.server : null;
      if (server) {
        status = typeof server.status === 'string' ? server.status : 'unknown';
        if (status === 'ACTIVE') return;
        if (status === 'ERROR')
          throw new CloudAccessError(
            `the provisioned server went to ERROR${isRecord(server.fault) && typeof server.fault.message === 'string' ? `: ${server.fault.message.slice(0, 200)}` : ''}`,
          );
      }
      if (Date.now() + pause > deadline)
        throw new CloudAccessError(
          `the provisioned server was not ACTIVE within ${Math.round(this.options.bootTimeoutMs / 1000)} s (status ${status}); see --boot-timeout-s`,
        );
      await sleep(pause, this.options.signal);
      pause = Math.min(5000, Math.round(pause * 1.5));
    }
  }
}

function messageOf(json: unknown): string {
  if (!isRecord(json)) return '';
  for (const value of Object.values(json)) {
    if (isRecord(value) && typeof value.message === 'string') return `: ${value.message.slice(0, 200)}`;
  }
  return '';
}
