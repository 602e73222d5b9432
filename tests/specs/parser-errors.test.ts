/**
 * Broken variants of the seed: each must be refused with a CsapiParseError whose message starts with
 * `<source>:<line>:` naming the line a person has to look at.
 */
import { describe, expect, it } from 'vitest';
import { CsapiParseError, parseCsapiDocument } from '../../specs/parser/index.ts';
import { seedText } from './support/reference-data.ts';

const SOURCE = 'broken.rst';
const seedLines = seedText().split('\n');

/** 1-based number of the first seed line equal to `line` (after `from`), so edits read by content. */
function lineOf(line: string, from = 1): number {
  const index = seedLines.findIndex((candidate, at) => at + 1 >= from && candidate === line);
  if (index < 0) throw new Error(`seed has no line '${line}'`);
  return index + 1;
}

function edited(edit: (lines: string[]) => void): string {
  const lines = [...seedLines];
  edit(lines);
  return lines.join('\n');
}

function parseError(text: string): CsapiParseError {
  try {
    parseCsapiDocument(text, SOURCE);
  } catch (error) {
    if (error instanceof CsapiParseError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

const BORDER = '+--------------------------+-------------------------+-------------------------+';
const REQUEST_BODY_SENTENCE = 'This table shows the body parameters for the request:';
const RESPONSE_BODY_SENTENCE = 'This table shows the body parameters for the response:';

describe('CsapiParseError names the line', () => {
  it('a table whose last border is missing (truncated) is refused at its last row line', () => {
    const closing = lineOf(BORDER, lineOf('|fixed_ips                 |xsd:list *(Required)*    |Fixed IP addresses with  |'));
    const error = parseError(edited((lines) => lines.splice(closing - 1, 1)));
    expect(error.line).toBe(closing - 1);
    expect(error.message).toMatch(new RegExp(`^broken\\.rst:${closing - 1}: the grid table ends inside a row: the row starting at line 100`));
  });

  it('a document cut off in the middle of a table is refused at its last line', () => {
    const cut = lineOf('|mac_addr                  |xsd:string *(Required)*  |The MAC address.         |');
    const error = parseError(seedLines.slice(0, cut).join('\n'));
    expect(error.message).toMatch(new RegExp(`^broken\\.rst:${cut}: the grid table ends inside a row`));
  });

  it('a misaligned column border is refused at that line', () => {
    const row = lineOf('|{server_id}               |csapi:UUID               |The UUID of the server.  |');
    const error = parseError(
      edited((lines) => {
        lines[row - 1] = '|{server_id}                |csapi:UUID              |The UUID of the server.  |';
      }),
    );
    expect(error.message).toBe(`broken.rst:${row}: misaligned column border: expected '|' at character 28 (where the top border has '+'), found ' '`);
  });

  it('a missing method block is refused at the line where it was expected', () => {
    const block = lineOf('.. code-block:: javascript');
    const error = parseError(edited((lines) => lines.splice(block - 1, 3)));
    // After the cut, the blank line and then the summary follow the navigation links.
    expect(error.line).toBe(block + 1);
    expect(error.detail).toBe(
      "expected the method block ('.. code-block::' holding 'METHOD /path'), found 'Creates a port interface and uses it to attach a port to ...'",
    );
  });

  it('a method block without a METHOD /path line is refused at that line', () => {
    const method = lineOf('    POST /v2.1/{tenant_id}/servers/{server_id}/os-interface');
    const error = parseError(edited((lines) => (lines[method - 1] = '    FETCH /v2.1/{tenant_id}/servers/{server_id}/os-interface')));
    expect(error.line).toBe(method);
    expect(error.detail).toMatch(/^expected an indented 'METHOD \/path' line/);
  });

  it('a table sentence the model has no place for is refused', () => {
    const sentence = lineOf(REQUEST_BODY_SENTENCE);
    const error = parseError(edited((lines) => (lines[sentence - 1] = 'This table shows the query parameters for the request:')));
    expect(error.message).toBe(`broken.rst:${sentence}: unsupported table: the model has no place for "the query parameters for the request"`);
  });

  it('a request table in the Response section is refused', () => {
    const sentence = lineOf(RESPONSE_BODY_SENTENCE);
    const error = parseError(edited((lines) => (lines[sentence - 1] = 'This table shows the URI parameters for the request:')));
    expect(error.message).toBe(`broken.rst:${sentence}: this table belongs to the request but stands in the response section`);
  });

  it('a second table of the same kind is refused', () => {
    const sentence = lineOf(REQUEST_BODY_SENTENCE);
    const error = parseError(edited((lines) => (lines[sentence - 1] = 'This table shows the URI parameters for the request:')));
    expect(error.message).toBe(`broken.rst:${sentence}: a second table of URI parameters`);
  });

  it('a response code that is not a status code is refused at its row', () => {
    const row = lineOf('|405                       |                         |                         |');
    const error = parseError(edited((lines) => (lines[row - 1] = lines[row - 1]?.replace('405', '4O5') ?? '')));
    expect(error.message).toBe(`broken.rst:${row}: response code '4O5' is not an HTTP status code`);
  });

  it('a table with unexpected column headings is refused at the header line', () => {
    const header = lineOf('|Response Code             |Name                     |Description              |');
    const error = parseError(edited((lines) => (lines[header - 1] = lines[header - 1]?.replace('Response Code', 'Status Code  ') ?? '')));
    expect(error.message).toBe(`broken.rst:${header}: table header is 'Status Code | Name | Description', expected 'Response Code | Name | Description'`);
  });

  it('a table sentence with no table under it is refused where the table should start', () => {
    const sentence = lineOf(RESPONSE_BODY_SENTENCE);
    const error = parseError(edited((lines) => lines.splice(sentence, 2)));
    expect(error.line).toBe(sentence + 1);
    expect(error.detail).toMatch(new RegExp(`^expected a grid table after the sentence on line ${sentence}`));
  });

  it('an example heading without a code block is refused', () => {
    const heading = lineOf('**Example Create Interface: JSON request**');
    const directive = lineOf('.. code::', heading);
    const error = parseError(edited((lines) => lines.splice(directive - 1, 1)));
    // The error points at what stands where the directive should: the block's first line, "    {".
    expect(error.line).toBe(directive + 1);
    expect(error.detail).toMatch(new RegExp(`^expected a '\\.\\. code::' block under the example heading on line ${heading}`));
  });

  it('stray text and unknown sections are refused, not skipped', () => {
    const request = lineOf('Request');
    const stray = parseError(edited((lines) => lines.splice(request + 1, 0, '', 'A stray paragraph.')));
    expect(stray.message).toBe(`broken.rst:${request + 3}: unexpected text 'A stray paragraph.': expected a table sentence, a section heading or an example`);
    const unknown = parseError(edited((lines) => (lines[request - 1] = 'Requests')));
    expect(unknown.message).toBe(`broken.rst:${request}: unknown section 'Requests': expected Request or Response`);
  });

  it('a document without the title block, or an empty one, is refused at line 1', () => {
    expect(parseError(seedLines.slice(1).join('\n')).message).toMatch(/^broken\.rst:1: expected the title block/);
    expect(parseError('').message).toMatch(/^broken\.rst:1: expected the title block/);
  });

  it('an operation name without its ~~~~ underline is refused', () => {
    const underline = lineOf('~~~~~~~~~~~~~~~~~~~~~~~~~');
    const error = parseError(edited((lines) => lines.splice(underline - 1, 1)));
    expect(error.message).toBe(`broken.rst:${underline - 1}: expected the operation name underlined with '~~~~', found 'Create Interface'`);
  });
});
