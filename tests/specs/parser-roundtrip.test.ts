/**
 * Whole documents written from random values (any table may be missing, cells wrapped over many
 * lines, descriptions full of escaped markup characters and inline markup, duplicate and empty
 * codes, examples in either section) must parse back into exactly those values.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseCsapiDocument } from '../../specs/parser/index.ts';
import { escapeRst, renderCsapiDocument, type ParameterToRender } from './support/render-csapi-document.ts';

const letters = (maxLength: number) => fc.stringMatching(new RegExp(`^[a-z]{1,${maxLength}}$`));
const identifier = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);

/** One word of a description: its RST and the plain text a reader sees. */
const descriptionWord: fc.Arbitrary<{ rst: string; plain: string }> = fc.oneof(
  fc
    .string({ unit: fc.constantFrom(...'abzAZ09.,;:()[]{}<>/#%&=+-!?"\'\\`*_|éß'), minLength: 1, maxLength: 8 })
    .map((word) => ({ rst: escapeRst(word), plain: word })),
  identifier.map((word) => ({ rst: `\`\`${word}\`\``, plain: word })),
  letters(8).map((word) => ({ rst: `*${word}*`, plain: word })),
  letters(8).map((word) => ({ rst: `**${word}**`, plain: word })),
);

const description = fc.array(descriptionWord, { maxLength: 25 }).map((words) => ({
  rst: words.map((word) => word.rst).join(' '),
  plain: words.map((word) => word.plain).join(' '),
}));

const TYPES = ['csapi:UUID', 'xsd:string', 'xsd:list', 'xsd:int', 'xsd:boolean', 'xsd:dateTime'];

function parameters(marks: ReadonlyArray<ParameterToRender['mark']>) {
  return fc.option(fc.array(fc.record({ name: identifier, type: fc.constantFrom(...TYPES), mark: fc.constantFrom(...marks), description }), { maxLength: 5 }), {
    nil: null,
  });
}

const example = fc.record({
  heading: fc.constantFrom('Example Op: JSON request', 'Example Op: JSON response', 'Example Op'),
  section: fc.constantFrom('request' as const, 'response' as const),
  json: fc.jsonValue({ maxDepth: 2 }),
});

const document = fc.record({
  name: fc.array(letters(10), { minLength: 1, maxLength: 4 }).map((words) => words.join(' ')),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
  path: fc.array(fc.stringMatching(/^[a-z{}_-]{1,12}$/), { maxLength: 4 }).map((parts) => `/v2.1/{tenant_id}/${parts.join('/')}`),
  summary: fc.array(
    fc.array(letters(10), { minLength: 1, maxLength: 15 }).map((words) => words.join(' ')),
    { maxLength: 3 },
  ),
  codes: fc.array(fc.option(fc.integer({ min: 100, max: 599 }), { nil: null, freq: 5 }), { maxLength: 10 }),
  uriParameters: parameters([null]),
  requestParameters: parameters(['Required', 'Optional', null]),
  responseParameters: parameters(['Required', 'Optional', null]),
  examples: fc.array(example, { maxLength: 3 }),
  widths: fc.tuple(fc.integer({ min: 26, max: 40 }), fc.integer({ min: 25, max: 40 }), fc.integer({ min: 20, max: 60 })),
});

type Generated = ReturnType<typeof toRender>;
type GeneratedDocument = typeof document extends fc.Arbitrary<infer T> ? T : never;

/** The generated values split into what is rendered and what the parser must give back. */
function toRender(generated: GeneratedDocument) {
  const rendered = (rows: typeof generated.requestParameters) =>
    rows === null ? null : rows.map((row) => ({ name: row.name, type: row.type, mark: row.mark, descriptionRst: row.description.rst }));
  const expected = (rows: typeof generated.requestParameters) =>
    (rows ?? []).map((row) => ({ name: row.name, type: row.type, requiredMark: row.mark === 'Required', description: row.description.plain }));
  return {
    render: {
      ...generated,
      uriParameters: rendered(generated.uriParameters),
      requestParameters: rendered(generated.requestParameters),
      responseParameters: rendered(generated.responseParameters),
    },
    expected: {
      uriParameters: expected(generated.uriParameters),
      requestBodyParameters: expected(generated.requestParameters),
      responseBodyParameters: expected(generated.responseParameters),
    },
  };
}

const withoutSpans = <T extends { span: unknown }>(rows: readonly T[]) => rows.map(({ span: _span, ...rest }) => rest);

describe('csapi document round trip', () => {
  test.prop([document.map(toRender)], { numRuns: 200 })('a rendered document parses back into its values', ({ render, expected }: Generated) => {
    const model = parseCsapiDocument(renderCsapiDocument(render), 'generated.rst');
    expect(model.name).toBe(render.name);
    expect(model.title).toBe(`${render.name} -  OpenStack Compute API v2.1`);
    expect([model.method, model.path]).toEqual([render.method, render.path]);
    expect(model.summary).toBe(render.summary.join('\n\n'));
    expect(model.responseCodes.map((row) => row.code)).toEqual(render.codes);
    expect(withoutSpans(model.uriParameters)).toEqual(expected.uriParameters);
    expect(withoutSpans(model.requestBodyParameters)).toEqual(expected.requestBodyParameters);
    expect(withoutSpans(model.responseBodyParameters)).toEqual(expected.responseBodyParameters);

    // Examples come back grouped by section (request section first), in their order within it.
    const examples = [...render.examples.filter((e) => e.section === 'request'), ...render.examples.filter((e) => e.section === 'response')];
    expect(model.examples.map(({ heading, section, json, text }) => ({ heading, section, json, text }))).toEqual(
      examples.map((e) => ({
        heading: e.heading,
        section: e.section,
        json: JSON.parse(JSON.stringify(e.json)) as unknown,
        text: JSON.stringify(e.json, null, 4),
      })),
    );
    expect(model.examples.map((e) => e.headingClaims)).toEqual(
      examples.map((e) => (e.heading.endsWith('request') ? 'request' : e.heading.endsWith('response') ? 'response' : null)),
    );
  });
});
