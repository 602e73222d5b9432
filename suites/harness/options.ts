/**
 * Every option of a conformance run, defined once: its flag, its environment variable, its help
 * text and an example. The CLI parses flags from this table, global setup reads the environment
 * from it, and `--help` is printed from it, so the three can never drift apart.
 */
import { SELECTION_ENV } from '../../contract/selection.ts';
import { TAG_IN_REQUEST, TAG_IN_RESPONSE } from '../../specs/formats/tag.ts';

export interface OptionSpec {
  /** Long flag without dashes, e.g. "target". */
  readonly flag: string;
  /** Environment variable read when the flag is absent (the CLI sets it from the flag). */
  readonly env: string;
  readonly kind: 'string' | 'integer' | 'boolean' | 'list';
  readonly help: string;
  readonly example?: string;
  /** True for values that must never be printed, logged or written to a report. */
  readonly secret?: boolean;
}

export const OPTION_SPECS = [
  {
    flag: 'os-cloud',
    env: 'OS_CLOUD',
    kind: 'string',
    help: 'Cloud to test, by its name in clouds.yaml (./clouds.yaml, ~/.config/openstack/, /etc/openstack/ or OS_CLIENT_CONFIG_FILE; secure.yaml merged in). Without it, OS_AUTH_URL and the other OS_* variables describe the cloud, as for the openstack client. Password, token and application-credential auth; endpoints come from the catalog. Needs --provision or --server-id.',
    example: 'mycloud',
  },
  {
    flag: 'os-region-name',
    env: 'OS_REGION_NAME',
    kind: 'string',
    help: "Region whose endpoints are used (default: the cloud's first region, or the first endpoint in the catalog).",
    example: 'RegionOne',
  },
  {
    flag: 'os-interface',
    env: 'OS_INTERFACE',
    kind: 'string',
    help: 'Endpoint interface in the catalog: public (default), internal or admin.',
    example: 'internal',
  },
  {
    flag: 'cacert',
    env: 'OS_CACERT',
    kind: 'string',
    help: "PEM bundle of the CAs to trust for https endpoints, instead of the system's.",
    example: '/etc/ssl/certs/my-cloud-ca.pem',
  },
  { flag: 'insecure', env: 'OS_INSECURE', kind: 'boolean', help: 'Do not verify TLS certificates (like openstack --insecure). For test clouds only.' },
  {
    flag: 'provision',
    env: 'OSI_PROVISION',
    kind: 'boolean',
    help: 'Create what the suite needs in the cloud (a network, a subnet, ports, and a server from --flavor and --image), use it, and delete it at the end. Every resource is written to <report-dir>/resources.jsonl as it is created.',
  },
  {
    flag: 'flavor',
    env: 'OSI_FLAVOR',
    kind: 'string',
    help: 'Flavor (name or id) of the server --provision boots (default: the smallest that fits the image).',
    example: 'm1.tiny',
  },
  {
    flag: 'image',
    env: 'OSI_IMAGE',
    kind: 'string',
    help: 'Image (name or id) of the server --provision boots (default: the smallest active image).',
    example: 'cirros-0.6.2-x86_64-disk',
  },
  {
    flag: 'boot-timeout-s',
    env: 'OSI_BOOT_TIMEOUT_S',
    kind: 'integer',
    help: 'How long --provision waits for the server to become ACTIVE (default 300).',
    example: '600',
  },
  {
    flag: 'cleanup-only',
    env: 'OSI_CLEANUP_ONLY',
    kind: 'string',
    help: 'Run nothing: remove the resources listed in this ledger (left by a run that was killed), then exit. Needs the same cloud credentials as the run.',
    example: 'reports/resources.jsonl',
  },
  {
    flag: 'target',
    env: 'OSI_TARGET',
    kind: 'string',
    help: 'Compute endpoint to test, with or without the project id segment and behind any path prefix (instead of a cloud from clouds.yaml). Without a target or a cloud, the embedded fake cloud is started on loopback and tested.',
    example: 'http://127.0.0.1:8774/v2.1/{project_id}',
  },
  {
    flag: 'token',
    env: 'OSI_TOKEN',
    kind: 'string',
    secret: true,
    help: 'Keystone token of a project member (X-Auth-Token). Never printed or written. Give it as OSI_TOKEN in the environment: on the command line npm echoes it into logs and ps shows it to every user.',
  },
  {
    flag: 'project-id',
    env: 'OSI_PROJECT_ID',
    kind: 'string',
    help: 'Project id of the token; used to build the project segment of URLs.',
    example: '0c1b...',
  },
  {
    flag: 'server-id',
    env: 'OSI_SERVER_ID',
    kind: 'string',
    help: 'An ACTIVE server of the project that the suite may attach ports to and detach them from.',
    example: '6b8f...',
  },
  {
    flag: 'port-id',
    env: 'OSI_PORT_IDS',
    kind: 'list',
    help: 'A free port of the project the suite may attach (repeat the flag, or comma-separate in the variable). Ports are detached again at the end.',
    example: 'ce531f90-...',
  },
  {
    flag: 'net-id',
    env: 'OSI_NET_ID',
    kind: 'string',
    help: 'A network of the project the suite may attach to (ports it creates this way are detached and deleted by the cloud).',
    example: '3cb9bc59-...',
  },
  {
    flag: 'network-url',
    env: 'OSI_NETWORK_URL',
    kind: 'string',
    help: "Network (Neutron) endpoint, used to find a free address in the network's subnet for fixed_ips scenarios.",
    example: 'http://127.0.0.1:9696',
  },
  {
    flag: 'alt-token',
    env: 'OSI_ALT_TOKEN',
    kind: 'string',
    secret: true,
    help: 'Token of a second project, for isolation checks. Give it as OSI_ALT_TOKEN in the environment: npm echoes its arguments.',
  },
  {
    flag: 'reader-token',
    env: 'OSI_READER_TOKEN',
    kind: 'string',
    secret: true,
    help: 'Token with a read-only role in the project, for the 403 check. Give it as OSI_READER_TOKEN in the environment.',
  },
  {
    flag: 'control-url',
    env: 'OSI_CONTROL_URL',
    kind: 'string',
    help: 'Fault-injection endpoint of a test cloud that can be switched to unavailable (the embedded fake cloud has one), for the 503 checks.',
    example: 'http://127.0.0.1:8774/_control',
  },
  {
    flag: 'control-token',
    env: 'OSI_CONTROL_TOKEN',
    kind: 'string',
    secret: true,
    help: 'Token for --control-url. Give it as OSI_CONTROL_TOKEN in the environment.',
  },
  {
    flag: 'microversion',
    env: 'OSI_MICROVERSION',
    kind: 'string',
    help: `Compute microversion for the general scenarios (default 2.1), chosen inside the range the target's version document gives: latest becomes its maximum (named in the report), and a version outside the range is refused before the run (exit 2), never clamped. Scenarios about ${TAG_IN_REQUEST} and ${TAG_IN_RESPONSE} use those versions when the target supports them.`,
    example: TAG_IN_RESPONSE,
  },
  {
    flag: 'runs',
    env: 'OSI_RUNS',
    kind: 'integer',
    help: 'Property runs per generated scenario (default 3 against a cloud or --target: the smallest that flagged every faulty variant, BENCHMARKS.md; 100 against the embedded fake cloud). Scenarios that attach and detach on the target run a quarter as many (each costs seconds on a real cloud).',
    example: '1000',
  },
  {
    flag: 'seed',
    env: 'OSI_SEED',
    kind: 'integer',
    help: 'Seed of the generators; every run prints its seed, and the same seed replays the same requests.',
    example: '42',
  },
  { flag: 'timeout-ms', env: 'OSI_TIMEOUT_MS', kind: 'integer', help: 'Per-request timeout in milliseconds (default 10000).', example: '5000' },
  {
    flag: 'deadline-s',
    env: 'OSI_DEADLINE_S',
    kind: 'integer',
    help: 'Deadline for the whole run in seconds, cleanup included: when it comes, no further request is sent, the report says the run was cut short, and what the suite created is removed (default 1800 against a cloud or --target, none against the embedded fake cloud).',
    example: '3600',
  },
  {
    flag: 'detach-timeout-s',
    env: 'OSI_DETACH_TIMEOUT_S',
    kind: 'integer',
    help: "How long one detach, or an attachment's showing in the list, is waited for, polling with backoff (default 60; 2 against the embedded fake cloud). A port whose detach does not take effect in that time fails CI-014 once, with its id, and is not waited for again.",
    example: '120',
  },
  {
    flag: 'concurrency',
    env: 'OSI_CONCURRENCY',
    kind: 'integer',
    help: 'Requests in flight at once, at most (default 1). Generated cases that cannot disturb each other (refusals) run this many at a time; attach and detach stay sequential.',
    example: '4',
  },
  {
    flag: 'max-rps',
    env: 'OSI_MAX_RPS',
    kind: 'integer',
    help: "Requests started per second, at most (default 10 against a remote cloud or --target; none against a loopback one, 127.0.0.0/8 or ::1, or the embedded fake cloud; 0 lifts the limit). The run's first line and the report say which limit applied.",
    example: '5',
  },
  {
    flag: 'retries',
    env: 'OSI_RETRIES',
    kind: 'integer',
    help: 'Retries of a request answered 429 or 503, after its Retry-After (default 3). A request refused through every retry is an error outcome, never a failure; several in a row stop the run (a 503 storm).',
    example: '5',
  },
  {
    flag: 'only',
    env: SELECTION_ENV.only,
    kind: 'list',
    help: 'Judge only these requirements: ids (CI-020) or levels (MUST, SHOULD, MAY), repeatable or comma-separated. Tests that judge none of them are not run; the verdict names the selection.',
    example: 'CI-020,CI-021',
  },
  {
    flag: 'skip',
    env: SELECTION_ENV.skip,
    kind: 'list',
    help: 'Leave these requirements out: ids or levels, as for --only (applied after it).',
    example: 'MAY',
  },
  {
    flag: 'require-all',
    env: 'OSI_REQUIRE_ALL',
    kind: 'boolean',
    help: 'For certification: every MUST must be judged (pass or fail); a MUST the target could not exercise becomes an error, and the verdict with it.',
  },
  {
    flag: 'json',
    env: 'OSI_JSON',
    kind: 'boolean',
    help: 'Print a machine-readable summary (verdict, coverage, counts, every requirement that is not a pass with its reason) as JSON on stdout; the human-readable output goes to stderr. With `list`, the requirements as JSON. Through npm, add --silent (npm run --silent conformance -- --json): npm prints its own banner on stdout.',
  },
  { flag: 'report-dir', env: 'OSI_REPORT_DIR', kind: 'string', help: 'Where the reports are written (default reports/).', example: 'out/conformance' },
  {
    flag: 'har',
    env: 'OSI_HAR',
    kind: 'string',
    help: 'Also write every exchange of the run (HAR 1.2, redacted as the reports are, each entry tagged with its test, case path, seed and requirements) to this file; <report-dir>/exchanges.har is always written.',
    example: 'out/run.har',
  },
  {
    flag: 'reference',
    env: 'OSI_REFERENCE',
    kind: 'string',
    help: "After the run, compare it case by case with a stored reference run (a directory holding conformance.json and exchanges.har, or the name of a reference run shipped in fixtures/reference-runs/, e.g. nova-26.2.2) and write diff.{json,md,html} beside the reports. Use the reference's --seed.",
    example: 'nova-26.2.2',
  },
  {
    flag: 'sign-key',
    env: 'OSI_SIGN_KEY',
    kind: 'string',
    help: 'Sign the report with this Ed25519 private key (PEM; make a pair with `npm run conformance -- keygen DIR`). The key is read, never printed or written; reports show its fingerprint.',
    example: 'keys/conformance-signing.pem',
  },
  {
    flag: 'public-key',
    env: 'OSI_PUBLIC_KEY',
    kind: 'string',
    help: "verify only: also check the report's signature with this Ed25519 public key (PEM): npm run conformance -- verify --public-key KEY.pub.pem reports/conformance.json.",
    example: 'keys/conformance-signing.pub.pem',
  },
  { flag: 'profile', env: 'OSI_FAKE_PROFILE', kind: 'string', help: 'Embedded fake cloud only: "document" (default) or "nova".', example: 'nova' },
  {
    flag: 'fault',
    env: 'OSI_FAKE_FAULTS',
    kind: 'list',
    help: 'Embedded fake cloud only: start it with this deliberate deviation (see npm run fake-cloud -- --list-faults).',
    example: 'both-ids-accepted',
  },
] as const satisfies readonly OptionSpec[];

export type OptionFlag = (typeof OPTION_SPECS)[number]['flag'];

/** The table seen as plain specs (for code that handles every kind, including ones not used yet). */
export const OPTIONS: readonly OptionSpec[] = OPTION_SPECS;
