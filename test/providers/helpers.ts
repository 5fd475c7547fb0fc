import type { HeaderPairs } from "../../src/core/types.js";
import type { Provider, VerifyRequest } from "../../src/providers/types.js";

/** A request as the capture server would hand it over: the headers `sign` produced, the same bytes. */
export function signedRequest(
  provider: Provider,
  options: { body: string | Buffer; secret: string; timestamp: number; id?: string; url?: string; headers?: HeaderPairs },
): VerifyRequest {
  const body = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
  const headers: HeaderPairs = options.headers ?? [["content-type", "application/json"]];
  const out = provider.sign({
    body,
    secret: options.secret,
    timestamp: options.timestamp,
    id: options.id ?? "msg_test",
    url: options.url,
    method: "POST",
    headers,
  });
  return { method: "POST", url: out.url ?? options.url ?? "/webhooks", headers: [...headers, ...out.headers], body: out.body ?? body };
}

export function withoutHeader(request: VerifyRequest, name: string): VerifyRequest {
  return { ...request, headers: request.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()) };
}

export function withHeader(request: VerifyRequest, name: string, value: string): VerifyRequest {
  return { ...withoutHeader(request, name), headers: [...withoutHeader(request, name).headers, [name, value]] };
}

export { flipByte } from "../helpers/bytes.js";
export { headerOf } from "../helpers/headers.js";
