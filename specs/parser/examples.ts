/**
 * Examples: a `**Example ...**` heading, then a `.. code::` block whose indented text is the body.
 */
import type { Example, ExampleDirection } from '../model.ts';
import type { Section } from './tables.ts';
import type { SourceLines } from './source-lines.ts';

const EXAMPLE_HEADING = /^\*\*(Example\b.*)\*\*$/;
const CODE_DIRECTIVE = /^\.\. code(?:-block)?::/;

export function isExampleHeading(line: string): boolean {
  return EXAMPLE_HEADING.test(line.trim());
}

/** Reads the example whose heading is at `index`; `section` is the section it stands in. */
export function readExample(lines: SourceLines, index: number, section: Section | null): { example: Example; next: number } {
  const heading = EXAMPLE_HEADING.exec(lines.at(index).trim())?.[1] ?? '';
  if (section === null) {
    lines.fail(index, `example '${heading}' stands outside the Request and Response sections`);
  }
  const directive = lines.skipBlank(index + 1);
  if (!CODE_DIRECTIVE.test(lines.at(directive))) {
    lines.fail(directive, `expected a '.. code::' block under the example heading on line ${index + 1}, found ${lines.quote(directive)}`);
  }

  // The block is every following line that is blank or indented; trailing blank lines are not in it.
  let end = directive + 1;
  let lastContent = -1;
  while (end < lines.length && (lines.isBlank(end) || /^\s/.test(lines.at(end)))) {
    if (!lines.isBlank(end)) lastContent = end;
    end++;
  }
  if (lastContent < 0) lines.fail(directive, `the code block of example '${heading}' is empty`);

  const first = lines.skipBlank(directive + 1);
  const text = dedent(lines.lines.slice(first, lastContent + 1));
  return {
    example: {
      heading,
      section,
      headingClaims: claimedDirection(heading),
      text,
      json: parseJsonOrUndefined(text),
      span: { startLine: index + 1, endLine: lastContent + 1 },
    },
    next: end,
  };
}

function dedent(blockLines: readonly string[]): string {
  const indents = blockLines.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)?.[0].length ?? 0);
  const margin = Math.min(...indents);
  return blockLines.map((line) => line.slice(margin)).join('\n');
}

/** "JSON request" claims a request; a heading naming both directions, or neither, claims nothing. */
function claimedDirection(heading: string): ExampleDirection | null {
  const request = /\brequest\b/i.test(heading);
  const response = /\bresponse\b/i.test(heading);
  if (request === response) return null;
  return request ? 'request' : 'response';
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
