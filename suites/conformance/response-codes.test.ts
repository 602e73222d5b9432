/**
 * Documented response codes that come from who asks and how: 401 (no or unknown token), 403 (a
 * role that may not attach), isolation between projects, 405 (wrong method), 415 (content types),
 * 503 (unavailable), and a project segment that is not the token's.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { MADE_UP_TOKEN_PREFIX } from '../../contract/redact.ts';
import { fakerText } from '../../generators/realistic.ts';
import { faker } from '@faker-js/faker';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { useSession } from '../harness/session.ts';
import { expectRefused, judgeRefusal } from '../harness/steps.ts';

const session = useSession();

/** A body that would attach if the request were allowed: a refusal then proves the rule. */
function attachingBody(scenario: Scenario): { body: { interfaceAttachment: Record<string, string> }; portId: string | undefined } {
  const [portId] = scenario.session.target.portIds;
  return { body: { interfaceAttachment: portId ? { port_id: portId } : {} }, portId };
}

/**
 * Tokens a cloud cannot know: random hex, Fernet-like, odd characters. Each starts with
 * MADE_UP_TOKEN_PREFIX, so that the report's redaction knows it is no credential and the curl line
 * reproduces the 401.
 */
const bogusTokens = fc
  .oneof(
    fc.string({ minLength: 32, maxLength: 64, unit: fc.constantFrom(...'0123456789abcdef') }),
    fakerText(() => faker.string.alphanumeric({ length: { min: 16, max: 180 } })),
    fakerText(() => `gAAAAA${faker.string.alphanumeric(120)}`),
    fc.constantFrom('x', 'null', 'undefined', ' ', 'Bearer abc'),
  )
  .map((token) => `${MADE_UP_TOKEN_PREFIX}${token}`);

describe('response codes', () => {
  conformanceTest(
    'no token',
    ['CI-050'],
    async (scenario) => {
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      await expectRefused(scenario, { requirements: ['CI-050'], body, token: null }, baseline);
    },
    session,
  );

  conformanceTest(
    'unknown or malformed tokens',
    ['CI-051'],
    async (scenario) => {
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      await checkProperty({
        scenario,
        requirements: ['CI-051'],
        arbitrary: bogusTokens,
        numRuns: Math.min(20, scenario.session.target.runs),
        run: (token) => {
          scenario.session.redactor.allowMadeUp(token);
          return expectRefused(scenario, { requirements: ['CI-051'], body, token }, baseline);
        },
      });
    },
    session,
  );

  conformanceTest(
    'a role that may not attach',
    ['CI-053'],
    async (scenario) => {
      const { readerToken } = scenario.session.target;
      // `!readerToken` only narrows the type: canExercise has checked the requirement's needs.
      if (!scenario.canExercise(['CI-053']) || !readerToken) return;
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      await expectRefused(scenario, { requirements: ['CI-053'], body, token: readerToken }, baseline);
    },
    session,
  );

  conformanceTest(
    "another project's token",
    ['CI-054'],
    async (scenario) => {
      const { altToken } = scenario.session.target;
      if (!scenario.canExercise(['CI-054']) || !altToken) return;
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      // By the server URL without a project segment (the other project cannot see the server), and
      // with this project's segment (a project the token does not belong to).
      await expectRefused(scenario, { requirements: ['CI-054'], body, token: altToken, url: scenario.session.collectionUrl('without') }, baseline);
      if (scenario.session.target.projectId) {
        await expectRefused(scenario, { requirements: ['CI-054'], body, token: altToken, url: scenario.session.collectionUrl('with') }, baseline);
      }
    },
    session,
  );

  conformanceTest(
    'a wrong method on the collection',
    ['CI-055', 'CI-056'],
    async (scenario) => {
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const exchange = await scenario.otherMethod(method, method === 'DELETE' ? undefined : JSON.stringify(body));
        await judgeRefusal(scenario, ['CI-055', 'CI-056'], exchange, baseline);
      }
    },
    session,
  );

  conformanceTest(
    'Content-Types that are not JSON',
    ['CI-057'],
    async (scenario) => {
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      for (const contentType of [
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'text/html',
      ]) {
        await expectRefused(scenario, { requirements: ['CI-057'], body, contentType }, baseline);
      }
    },
    session,
  );

  conformanceTest(
    'text/plain or no Content-Type (either answer is fine)',
    ['CI-058'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-058'])) return;
      const { body, portId } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      for (const contentType of ['text/plain', null]) {
        // A 200 here attached the port: expectRefused detaches whatever the request attached.
        await expectRefused(scenario, { requirements: ['CI-058'], body, contentType, asked: { portId } }, baseline);
      }
    },
    session,
  );

  conformanceTest(
    'unavailable',
    ['CI-059', 'CI-060'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-059', 'CI-060'])) return;
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      if (!(await scenario.session.setUnavailable(true))) {
        // It was given a control endpoint that did not switch: the 503 was never seen.
        for (const id of ['CI-059', 'CI-060'] as const)
          scenario.unobserved(id, 'the control endpoint (--control-url) did not switch the target to unavailable');
        return;
      }
      let exchange;
      try {
        exchange = await scenario.create(body);
      } finally {
        await scenario.session.setUnavailable(false);
      }
      // The list is read once the target is available again: the 503 must have attached nothing.
      await judgeRefusal(scenario, ['CI-059'], exchange, baseline);
    },
    session,
  );

  conformanceTest(
    "a project segment that is not the token's",
    ['CI-061', 'CI-062'],
    async (scenario) => {
      const { body } = attachingBody(scenario);
      const baseline = await scenario.session.interfaces();
      const foreign = crypto.randomUUID().replace(/-/g, '');
      await expectRefused(scenario, { requirements: ['CI-061', 'CI-062'], body, url: scenario.session.collectionUrl({ foreign }) }, baseline);
    },
    session,
  );
});
