// A small strict XML reader for the tests: enough of XML 1.0 to parse a JUnit report back and fail loudly on
// anything malformed (unclosed or mismatched tags, bad entities, raw `<` or `&`, attributes without quotes).
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  if (/<|&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`bad character data near ${where}: ${text.slice(0, 40)}`);
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) =>
    entity.startsWith("#x") ? String.fromCodePoint(parseInt(entity.slice(2), 16)) : entity.startsWith("#") ? String.fromCodePoint(Number(entity.slice(1))) : (ENTITIES[entity] ?? ""),
  );
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const declaration = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (declaration) i = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    if (xml.startsWith("</", i)) {
      const match = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
      const open = stack.pop();
      if (!match || !open || open.name !== match[1]) throw new Error(`mismatched closing tag at ${i}`);
      i += match[0].length;
      if (stack.length === 0) root = open;
    } else if (xml[i] === "<") {
      const match = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(i));
      if (!match) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 60)}`);
      const attributes: Record<string, string> = {};
      for (const attr of (match[2] ?? "").matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const name = attr[1] as string;
        if (name in attributes) throw new Error(`duplicate attribute ${name}`);
        attributes[name] = decode(attr[2] ?? attr[3] ?? "", i);
      }
      const element: XmlElement = { name: match[1] as string, attributes, children: [], text: "" };
      if (stack.length === 0 && root !== null) throw new Error("more than one root element");
      stack.at(-1)?.children.push(element);
      i += match[0].length;
      if (match[3] === "/") {
        if (stack.length === 0) root = element;
      } else stack.push(element);
    } else {
      const end = xml.indexOf("<", i);
      const text = xml.slice(i, end === -1 ? xml.length : end);
      if (stack.length === 0) {
        if (text.trim() !== "") throw new Error(`text outside the root element at ${i}`);
      } else (stack.at(-1) as XmlElement).text += decode(text, i);
      i = end === -1 ? xml.length : end;
    }
  }
  if (stack.length > 0 || root === null) throw new Error("unclosed element");
  return root;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
