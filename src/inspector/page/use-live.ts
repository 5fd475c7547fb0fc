import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type InspectorInfo, type RunStatus } from "./api.js";
import { followStream, type Connection } from "./live-stream.js";
import type { EventList } from "./use-event-list.js";

/**
 * The page's live side: the stream's changes into the list, the run's state into the header, the connection's
 * state; after a gap (hooktape restarted) the list and the facts are read again.
 */
export function useLive(list: EventList): { connection: Connection; run: RunStatus | null; info: InspectorInfo | null; changes: number } {
  const [connection, setConnection] = useState<Connection>("connecting");
  const [info, setInfo] = useState<InspectorInfo | null>(null);
  const [run, setRun] = useState<RunStatus | null>(null);
  const [changes, setChanges] = useState(0);
  const listRef = useRef(list);
  listRef.current = list;

  useEffect(() => {
    const readInfo = () =>
      api.info().then(
        (facts) => {
          setInfo(facts);
          setRun(facts.run);
        },
        (failure: unknown) => {
          if (failure instanceof ApiError && failure.status === 401) setConnection("locked");
        },
      );
    void readInfo();
    return followStream({
      onEvent: (change) => {
        setChanges((n) => n + 1);
        listRef.current.applyChange(change);
      },
      onRun: setRun,
      onConnection: setConnection,
      onResumed: () => {
        listRef.current.reload();
        void readInfo();
      },
    });
  }, []);
  return { connection, run, info, changes };
}
