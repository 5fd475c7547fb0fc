import { readFileSync } from "node:fs";
import { badInput } from "../core/errors.js";

// Where `sign` and `verify` read a request body from: --body-file, or stdin.

/** The bytes of --body-file, exactly; exit 2 with one line when it cannot be read. */
export function readBodyFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw badInput(`Cannot read --body-file ${path}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`);
  }
}

export async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) {
    throw badInput("No body: pass --body '<json>', --body-file <path> or --event <id>, or pipe the body on stdin");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
