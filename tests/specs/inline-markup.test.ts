import { describe, expect, it } from 'vitest';
import { stripInlineMarkup } from '../../specs/parser/index.ts';

describe('stripInlineMarkup', () => {
  it.each([
    ['Specify the ``interfaceAttachment`` action', 'Specify the interfaceAttachment action'],
    ['a ``Bad Request (400)`` response', 'a Bad Request (400) response'],
    ['xsd:string *(Required)*', 'xsd:string (Required)'],
    ['**strong** and *emphasis*', 'strong and emphasis'],
    ['see `Request <doc.rst#request>`__ and `Nova <https://x.y/>`_', 'see Request and Nova'],
    ['the :ref:`api-guide` and `reference`_', 'the api-guide and reference'],
    ['escaped \\*not emphasis\\* and \\`not literal\\`', 'escaped *not emphasis* and `not literal`'],
    ['a back\\\\slash, an escaped\\ space', 'a back\\slash, an escapedspace'],
    ['``*literal* keeps \\ markup``', '*literal* keeps \\ markup'],
    ['', ''],
  ])('%j reads as %j', (rst, plain) => {
    expect(stripInlineMarkup(rst)).toBe(plain);
  });
});
