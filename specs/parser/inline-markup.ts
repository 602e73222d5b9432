/**
 * Turns reStructuredText inline markup into the plain words it marks up, so the model holds what a
 * reader sees: ``net_id`` → net_id, *(Required)* → (Required), `text <url>`__ → text, \* → *.
 *
 * Inline literals are cut out first because their content is verbatim in RST (no escapes, no markup
 * inside). Elsewhere, escaped characters are parked in the Unicode private-use area while the markup
 * patterns run, so an escaped `*` or backquote is never taken for markup.
 */

const INLINE_LITERAL = /``(.+?)``/gs;
const PRIVATE_USE_BASE = 0xe000;
const PRIVATE_USE_SPAN = 0x1900; // U+E000..U+F8FF

export function stripInlineMarkup(text: string): string {
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(INLINE_LITERAL)) {
    plain += stripOutsideLiterals(text.slice(last, match.index));
    plain += match[1];
    last = match.index + match[0].length;
  }
  return plain + stripOutsideLiterals(text.slice(last));
}

function stripOutsideLiterals(text: string): string {
  const parked = parkEscapes(text);
  const stripped = parked
    .replace(/:[\w.+-]+:`([^`]+)`/g, '$1') // :role:`text`
    .replace(/`([^`<]*?)\s*<[^>]*>`__?/g, '$1') // `text <target>`_ and anonymous __
    .replace(/`([^`]+)`__?/g, '$1') // `reference`_
    .replace(/`([^`]+)`/g, '$1') // `interpreted text`
    .replace(/\*\*(.+?)\*\*/g, '$1') // **strong**
    .replace(/\*(.+?)\*/g, '$1'); // *emphasis*
  return unparkEscapes(stripped);
}

/** `\x` becomes a private-use stand-in for x; an escaped space (RST: "nothing") disappears. */
function parkEscapes(text: string): string {
  return text.replace(/\\(.)/gs, (_escape, char: string) => {
    if (/\s/.test(char)) return '';
    const code = char.codePointAt(0) ?? 0;
    return code < PRIVATE_USE_SPAN ? String.fromCodePoint(PRIVATE_USE_BASE + code) : char;
  });
}

function unparkEscapes(text: string): string {
  return text.replace(/[\ue000-\uf8ff]/g, (char) => String.fromCodePoint((char.codePointAt(0) ?? 0) - PRIVATE_USE_BASE));
}
