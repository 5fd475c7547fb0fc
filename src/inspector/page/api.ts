import type { EventDetail, EventPage, InspectorInfo, Preview, ReplayOptions, ReplayResult, Signing } from "./documents.js";
import { currentToken } from "./session.js";

export * from "./documents.js";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Every API call carries the token as `Authorization: Bearer`; the browser adds no credential of its own. */
export function authorization(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, credentials: "omit", headers: { ...authorization(), ...(init.headers as Record<string, string>) } });
  const type = response.headers.get("content-type") ?? "";
  const data: unknown = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = typeof data === "object" && data !== null && "error" in data ? String((data as { error: unknown }).error) : String(data);
    throw new ApiError(message || `HTTP ${response.status}`, response.status);
  }
  return data as T;
}

const eventPath = (id: string) => `/api/events/${encodeURIComponent(id)}`;

export const api = {
  info: () => request<InspectorInfo>("/api/info"),
  list: (params: URLSearchParams) => request<EventPage>(`/api/events?${params}`),
  show: (id: string) => request<EventDetail>(eventPath(id)),
  signing: (id: string) => request<Signing>(`${eventPath(id)}/signing`),
  curl: (id: string, to: string) => request<string>(`${eventPath(id)}/curl${to ? `?to=${encodeURIComponent(to)}` : ""}`),
  post: <T extends Preview | ReplayResult>(id: string, action: "replay" | "preview", options: ReplayOptions) =>
    request<T>(`${eventPath(id)}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(options),
    }),
};

/** Saves what an API path serves as a file: fetched with the token, handed to the browser as a blob. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { credentials: "omit", headers: authorization() });
  if (!response.ok) throw new ApiError(`Download failed: HTTP ${response.status}`, response.status);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Bytes an API path serves (a sent body), as text when they are UTF-8, else null. */
export async function fetchText(path: string): Promise<string | null> {
  const response = await fetch(path, { credentials: "omit", headers: authorization() });
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, response.status);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await response.arrayBuffer());
  } catch {
    return null;
  }
}
