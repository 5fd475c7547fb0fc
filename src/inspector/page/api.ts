/** The JSON documents the server sends: the same as the CLI's `--json`. */
export type VerificationStatus = "valid" | "invalid" | "missing" | "unverified";

export interface Delivery {
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface EventSummary {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  provider: string | null;
  verification: { status: VerificationStatus; reason: string | null };
  bodySize: number;
  bodySha256: string;
  via: "tunnel" | "local" | "relay";
  rejected: string | null;
  delivery: Delivery | null;
}

export type HeaderPairs = Array<[string, string]>;

export interface Attempt {
  kind: string;
  deliveryId: string;
  attempt: number;
  target: string;
  startedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  responseHeaders: HeaderPairs;
  responseSize: number;
  responseBody?: string | null;
  responseBodyBase64?: string;
}

export interface EventDetail extends EventSummary {
  publicUrl: string | null;
  remoteAddress: string | null;
  target: string | null;
  headers: HeaderPairs;
  body?: string | null;
  bodyBase64?: string;
  deliveries: Attempt[];
}

export interface EventPage {
  events: EventSummary[];
  next: string | null;
  replays: Record<string, number>;
}

export interface Signing {
  provider: string | null;
  canResign: boolean;
  hint: string | null;
}

export interface ReplayOptions {
  to?: string;
  times?: number;
  concurrency?: number;
  resign?: boolean;
  headers?: string[];
  dropHeaders?: string[];
  body?: string;
  tamper?: "signature" | "body" | "timestamp";
  stale?: string;
}

export interface Preview {
  method: string;
  url: string;
  headers: HeaderPairs;
  body?: string;
  bodyBase64?: string;
  resigned: boolean;
}

export interface ReplayResult {
  passed: boolean;
  attempts: Array<{ eventId: string; delivery: string; attempt: number; status: number | null; durationMs: number; error: string | null }>;
}

export class ApiError extends Error {}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { credentials: "same-origin", ...init });
  const type = response.headers.get("content-type") ?? "";
  const data: unknown = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = typeof data === "object" && data !== null && "error" in data ? String((data as { error: unknown }).error) : String(data);
    throw new ApiError(message || `HTTP ${response.status}`);
  }
  return data as T;
}

export const api = {
  list: (params: URLSearchParams) => request<EventPage>(`/api/events?${params}`),
  show: (id: string) => request<EventDetail>(`/api/events/${encodeURIComponent(id)}`),
  signing: (id: string) => request<Signing>(`/api/events/${encodeURIComponent(id)}/signing`),
  curl: (id: string, to: string) => request<string>(`/api/events/${encodeURIComponent(id)}/curl${to ? `?to=${encodeURIComponent(to)}` : ""}`),
  post: <T>(id: string, action: "replay" | "preview", options: ReplayOptions) =>
    request<T>(`/api/events/${encodeURIComponent(id)}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(options),
    }),
};
