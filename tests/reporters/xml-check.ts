/**
 * A small XML 1.0 well-formedness check for the JUnit files (no XML parser is a dependency):
 * one root, tags balanced and properly nested, attributes quoted and unique, `&` only in
 * references, no `<` in text or attributes, no character XML 1.0 forbids.
 */
const NAME = '[A-Za-z_:][A-Za-z0-9_:.-]*';
const REFERENCE = /&(?:[A-Za-z_][A-Za-z0-9_.-]*|#[0-9]+|#x[0-9A-Fa-f]+);/g;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, where: string): void {
  if (text.includes('<')) throw new Error(`raw < in ${where}`);
  if (text.replace(REFERENCE, '').includes('&')) throw new Error(`bare & in ${where}`);
}

export function assertWellFormedXml(xml: string): void {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML 1.0 forbids');
  let rest = xml.replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`);
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    checkText(text, `text near "${text.slice(0, 40)}"`);
    if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
    if (lt === -1) break;
    rest = rest.slice(lt);
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end === -1) throw new Error('unclosed comment');
      rest = rest.slice(end + 3);
      continue;
    }
    const match = tag.exec(rest);
    if (!match) throw new Error(`malformed tag near "${rest.slice(0, 60)}"`);
    const [whole, closing, name, attributes = '', selfClosing] = match;
    const seen = new Set<string>();
    for (const attr of attributes.matchAll(new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'))) {
      const attrName = attr[1] ?? '';
      if (seen.has(attrName)) throw new Error(`duplicate attribute ${attrName} on <${name}>`);
      seen.add(attrName);
      checkText(attr[2] ?? attr[3] ?? '', `attribute ${attrName} of <${name}>`);
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> does not close the open element`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name ?? '');
    } else if (stack.length === 0) roots += 1;
    rest = rest.slice(whole.length);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}
