import { useEffect, useRef } from "preact/hooks";

export interface KeyActions {
  /** j/k, arrows: move the selection by one row. */
  move(delta: number): void;
  /** Enter: open the selected event. */
  open(): void;
  /** r replays, e edits: the open event, else the selected one. */
  act(name: "replay" | "edit"): void;
  /** `/`: the search box. */
  search(): void;
  /** Esc: back to the list. */
  back(): void;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** The keyboard, registered once: it reads the latest actions through a ref, so a key never acts on a stale list. */
export function useKeys(actions: KeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const run = latest.current;
      const dialogOpen = document.querySelector("dialog[open]") !== null;
      if (event.key === "Escape") {
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        else if (!dialogOpen) run.back();
        return;
      }
      if (isTyping(event.target) || dialogOpen) return;
      const onControl = event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement || (event.target as HTMLElement | null)?.getAttribute?.("role") === "separator";
      if (event.key === "j" || event.key === "ArrowDown") {
        event.preventDefault();
        run.move(1);
      } else if (event.key === "k" || event.key === "ArrowUp") {
        event.preventDefault();
        run.move(-1);
      } else if (event.key === "Enter" && !onControl) {
        run.open();
      } else if (event.key === "/") {
        event.preventDefault();
        run.search();
      } else if (event.key === "r" || event.key === "e") {
        run.act(event.key === "r" ? "replay" : "edit");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
