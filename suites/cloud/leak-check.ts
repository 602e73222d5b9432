/**
 * Did the run leave the cloud as it found it? A snapshot of the test server's interfaces and of the
 * project's ports is taken before the first test and again after the last one; any difference in
 * what the suite touches is a leak, reported as a run problem (verdict "error" unless a MUST already
 * failed). Differences elsewhere in a shared project are someone else's doing and are not counted:
 * only ports on the suite's networks, or bound to the suite's server, are compared.
 */
import type { CloudApi, PortView } from './cloud-api.ts';

export interface LeakScope {
  readonly serverId: string;
  readonly projectId: string | null;
  /** Networks the suite attaches to: its own (provisioned) or the one it was given. */
  readonly networkIds: readonly string[];
}

export interface StateSnapshot {
  /** Null when the list could not be read (the comparison then skips it, saying so). */
  readonly interfaces: readonly string[] | null;
  readonly ports: readonly PortView[] | null;
}

export async function takeSnapshot(api: CloudApi, scope: LeakScope): Promise<StateSnapshot> {
  const [interfaces, ports] = await Promise.all([
    api.interfaces(scope.serverId),
    scope.projectId === null ? Promise.resolve(null) : api.ports(scope.projectId),
  ]);
  return { interfaces, ports };
}

export interface LeakFindings {
  /** Problems for the report: each one line. */
  readonly leaks: readonly string[];
  /** What could not be compared. */
  readonly notes: readonly string[];
}

function inScope(port: PortView, scope: LeakScope): boolean {
  return scope.networkIds.includes(port.networkId) || port.deviceId === scope.serverId;
}

export function compareSnapshots(before: StateSnapshot, after: StateSnapshot, scope: LeakScope): LeakFindings {
  const leaks: string[] = [];
  const notes: string[] = [];
  /** Ports already named through the server's interfaces: one line per port is enough. */
  const named = new Set<string>();
  if (before.interfaces === null || after.interfaces === null)
    notes.push(`the interfaces of server ${scope.serverId} could not be read ${before.interfaces === null ? 'before' : 'after'} the run: not compared`);
  else {
    for (const port of after.interfaces) {
      if (before.interfaces.includes(port)) continue;
      leaks.push(`leak: port ${port} is attached to server ${scope.serverId} and was not before the run`);
      named.add(port);
    }
    for (const port of before.interfaces) {
      if (after.interfaces.includes(port)) continue;
      leaks.push(`port ${port} was attached to server ${scope.serverId} before the run and no longer is`);
      named.add(port);
    }
  }
  if (before.ports === null || after.ports === null) {
    if (scope.projectId !== null) notes.push("the project's ports could not be read (no network endpoint?): not compared");
    return { leaks, notes };
  }
  const start = new Map(before.ports.map((p) => [p.id, p]));
  const end = new Map(after.ports.map((p) => [p.id, p]));
  for (const port of after.ports) {
    if (!inScope(port, scope) || named.has(port.id)) continue;
    const was = start.get(port.id);
    if (!was) leaks.push(`leak: port ${port.id}${port.name ? ` (${port.name})` : ''} on network ${port.networkId} did not exist before the run`);
    else if (was.deviceId !== port.deviceId)
      leaks.push(`leak: port ${port.id} is bound to ${port.deviceId || 'nothing'} and was bound to ${was.deviceId || 'nothing'} before the run`);
  }
  for (const port of before.ports) {
    if (inScope(port, scope) && !named.has(port.id) && !end.has(port.id)) leaks.push(`port ${port.id} existed before the run and is gone`);
  }
  return { leaks, notes };
}
