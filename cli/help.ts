/** `--help`, generated from the options table so it cannot drift from what the CLI accepts. */
import { OPTIONS } from '../suites/harness/options.ts';

export function helpText(): string {
  const lines = [
    'Conformance suite for OpenStack Compute v2.1 Create Interface',
    '(POST /v2.1/{tenant_id}/servers/{server_id}/os-interface)',
    '',
    'Usage:',
    '  npm run conformance -- [options]           run the suites, write reports/ (JSON, Markdown, HTML, JUnit)',
    '  npm run conformance -- list [--json]        the requirements (id, level, title), without running anything',
    '  npm run conformance -- verify FILE          check a conformance.json digest and format (integrity, not origin)',
    '  npm run conformance -- matrix A.json B.json  merge reports of several targets into one matrix',
    '  npm run conformance -- verify --public-key KEY.pub.pem FILE   also check its Ed25519 signature (origin)',
    '  npm run conformance -- diff DIR-A DIR-B      compare two runs of one seed case by case (diff.{json,md,html}; exit 0 same, 1 differs, 2 refused)',
    '  npm run conformance -- keygen DIR            make an Ed25519 key pair for --sign-key',
    "  npm run conformance -- --version            the suite's name and version",
    '',
    'Without --target or a cloud (--os-cloud, OS_CLOUD or OS_AUTH_URL), the embedded fake cloud is started on loopback and tested.',
    'Secrets (passwords, tokens) belong in clouds.yaml/secure.yaml or OS_* variables, not on the command line: npm prints its arguments.',
    'Every option can also be given as the environment variable shown (for plain `npx vitest run --project conformance`).',
    '',
    'Options:',
  ];
  for (const spec of OPTIONS) {
    const value = spec.kind === 'boolean' ? '' : spec.kind === 'list' ? ' VALUE (repeatable)' : spec.kind === 'integer' ? ' N' : ' VALUE';
    lines.push(`  --${spec.flag}${value}    [${spec.env}]`);
    lines.push(`      ${spec.help}`);
    // A secret's example is its variable: on the command line npm echoes it and ps shows it.
    if (spec.secret) lines.push(`      e.g. export ${spec.env}=...   (the flag works too, with a warning)`);
    else if (spec.example) lines.push(`      e.g. --${spec.flag} ${spec.example}`);
    else if (spec.kind === 'boolean') lines.push(`      e.g. --${spec.flag}`);
  }
  lines.push('  --version', "      Print the suite's name and version.");
  lines.push('  --help', '      Show this text.', '');
  lines.push('The verdict shows its coverage ("conformant, 33 of 36 MUSTs judged"); --require-all makes a MUST that was not judged an error.');
  lines.push('Exit codes: 0 conformant (every MUST that was judged passed), 1 nonconformant or undecided (or something the run created could not be removed),');
  lines.push('  2 usage, configuration or unreachable target, 130/143 stopped by SIGINT/SIGTERM (after removing what the run created).');
  lines.push('Examples against a cloud:');
  lines.push('  npm run conformance -- --os-cloud mycloud --provision --deadline-s 1800     # creates, tests, removes; ledger in reports/resources.jsonl');
  lines.push('  npm run conformance -- --os-cloud mycloud --cleanup-only reports/resources.jsonl   # after a run that was killed');
  lines.push('  export OSI_TOKEN="$(openstack token issue -f value -c id)"   # tokens by environment: npm echoes arguments, ps shows them');
  lines.push('  npm run conformance -- --target https://compute.example/v2.1/$PROJECT --server-id $SERVER --port-id $PORT --net-id $NET');
  lines.push('  npm run conformance -- --only CI-020,CI-021 --json > summary.json              # two requirements, the summary as JSON');
  return `${lines.join('\n')}\n`;
}
