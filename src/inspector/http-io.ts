import type { IncomingMessage, ServerResponse } from "node:http";
import { HooktapeError, badInput } from "../core/errors.js";

/** Largest JSON body a POST may carry (an edited webhook body included). */
const MAX_POST_BYTES = 32 * 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(value));
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(text);
}

/** A HooktapeError as JSON with the status that fits (404 unknown id, 400 bad input); anything else 500. */
export function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof HooktapeError) {
    const status = error.code === "not_found" ? 404 : error.exitCode === 2 ? 400 : 500;
    return sendJson(response, status, { error: error.message });
  }
  sendJson(response, 500, { error: `unexpected error: ${error instanceof Error ? error.message : String(error)}` });
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_POST_BYTES) throw badInput("The request body is too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badInput("The request body is not valid JSON");
  }
}
