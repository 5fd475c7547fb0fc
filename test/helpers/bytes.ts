/**
 * A copy of the bytes with one bit changed (XOR 1): the byte at an index, or the first byte of a marker that must
 * occur in them. On a letter or digit inside a JSON string the body stays valid JSON and only the bytes differ.
 */
export function flipByte(bytes: Buffer, at: number | string = 0): Buffer {
  const index = typeof at === "number" ? at : bytes.indexOf(at);
  if (index < 0) throw new Error(`marker ${JSON.stringify(at)} not in body`);
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
