/**
 * The HTTP client of the registration room: Node's global `fetch` (undici inside Node). Not the undici agent of
 * forward/: these are a handful of calls to a provider's API, with redirects followed as any API client does,
 * while forward/'s agent is tuned for delivering captured events (no redirects, pooled, per-target timeouts).
 */
export interface ApiRequest {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  json: unknown;
  text: string;
}

/** The API could not be reached at all (DNS, refused, timeout): distinct from an answer that says no. */
export class ApiUnreachableError extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`cannot reach ${new URL(url).origin} (${reason})`);
    this.name = "ApiUnreachableError";
  }
}

/** The API answered with an error; `message` is one line, already phrased for the user. */
export class ApiRefusedError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = "ApiRefusedError";
  }
}

const TIMEOUT_MS = 15_000;

export async function callApi(request: ApiRequest, timeoutMs = TIMEOUT_MS): Promise<ApiResponse> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ApiUnreachableError(request.url, describeNetworkError(error, timeoutMs));
  }
  const text = await response.text().catch(() => "");
  let json: unknown = null;
  if (text !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: response.status, headers: response.headers, json, text };
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** One line, whatever the API put in its message (newlines, runs of spaces). */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
