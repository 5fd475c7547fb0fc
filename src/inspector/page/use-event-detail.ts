import { useEffect, useState } from "preact/hooks";
import { api, type EventDetail, type ReplayOptions, type ReplayResult, type Signing } from "./api.js";

export function message(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

export interface EventDetailState {
  event: EventDetail | null;
  signing: Signing | null;
  error: string | null;
  notice: string | null;
  busy: boolean;
  result: ReplayResult | null;
  replay(options: ReplayOptions): Promise<void>;
  /** Runs an action (copy, download) and says how it went. */
  act(work: () => Promise<void>, done: string): void;
  sent(result: ReplayResult): void;
}

/** One event as the page shows it: read again when it changes, replayed, and what came of the last action. */
export function useEventDetail(id: string, revision: number): EventDetailState {
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [signing, setSigning] = useState<Signing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);

  useEffect(() => {
    let live = true;
    api.show(id).then(
      (detail) => live && setEvent(detail),
      (failure: unknown) => live && setError(message(failure)),
    );
    return () => {
      live = false;
    };
  }, [id, revision]);
  useEffect(() => {
    void api.signing(id).then(setSigning, () => setSigning(null));
  }, [id]);

  const reload = () => api.show(id).then(setEvent, (failure: unknown) => setError(message(failure)));
  return {
    event,
    signing,
    error,
    notice,
    busy,
    result,
    replay: async (options) => {
      setBusy(true);
      setError(null);
      setResult(null);
      try {
        setResult(await api.post<ReplayResult>(id, "replay", options));
        await reload();
      } catch (failure) {
        setError(message(failure));
      } finally {
        setBusy(false);
      }
    },
    act: (work, done) =>
      void work().then(
        () => setNotice(done),
        (failure: unknown) => setError(message(failure)),
      ),
    sent: (sent) => {
      setResult(sent);
      void reload();
    },
  };
}
