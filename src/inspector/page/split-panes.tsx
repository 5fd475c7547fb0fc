import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

const KEY = "hooktape.listWidth";
const MIN = 25;
const MAX = 75;

function savedWidth(): number {
  const saved = Number(localStorage.getItem(KEY));
  return saved >= MIN && saved <= MAX ? saved : 45;
}

/** The list and the open event side by side, split where the user drags (or moves with the arrow keys) the divider. */
export function SplitPanes({ list, detail }: { list: ComponentChildren; detail: ComponentChildren | null }) {
  const [width, setWidth] = useState(savedWidth);
  const panes = useRef<HTMLElement>(null);
  const set = (percent: number) => {
    const next = Math.round(Math.max(MIN, Math.min(MAX, percent)));
    setWidth(next);
    localStorage.setItem(KEY, String(next));
  };
  const drag = (start: PointerEvent) => {
    const box = panes.current?.getBoundingClientRect();
    if (!box) return;
    const divider = start.currentTarget as HTMLElement;
    divider.setPointerCapture(start.pointerId);
    const move = (event: PointerEvent) => set(((event.clientX - box.left) / box.width) * 100);
    const stop = () => {
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", stop);
    };
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", stop);
  };
  if (detail === null) {
    return (
      <main class="panes" ref={panes}>
        {list}
      </main>
    );
  }
  return (
    <main class="panes split" ref={panes} style={{ gridTemplateColumns: `${width}% 6px minmax(0, 1fr)` }}>
      {list}
      <div
        class="divider"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the list"
        aria-valuenow={width}
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        tabIndex={0}
        onPointerDown={drag}
        onKeyDown={(event) => {
          if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
            event.preventDefault();
            event.stopPropagation();
            set(width + (event.key === "ArrowLeft" ? -5 : 5));
          }
        }}
      />
      {detail}
    </main>
  );
}
