import { useState } from "preact/hooks";
import type { ReplayOptions } from "./api.js";

export interface ReplayChoices {
  to: string;
  times: string;
  concurrency: string;
  tamper: string;
  stale: string;
}

const NONE: ReplayChoices = { to: "", times: "1", concurrency: "1", tamper: "", stale: "" };

/** The choices of "Replay options" as `replay`'s options: only what differs from a plain replay. */
export function replayOptionsOf(choices: ReplayChoices): ReplayOptions {
  const chosen: ReplayOptions = {};
  if (choices.to.trim()) chosen.to = choices.to.trim();
  if (Number(choices.times) > 1) chosen.times = Number(choices.times);
  if (Number(choices.concurrency) > 1) chosen.concurrency = Number(choices.concurrency);
  if (choices.tamper) chosen.tamper = choices.tamper as NonNullable<ReplayOptions["tamper"]>;
  if (choices.stale.trim()) chosen.stale = choices.stale.trim();
  return chosen;
}

export function useReplayChoices(): [ReplayChoices, (key: keyof ReplayChoices, value: string) => void] {
  const [choices, setChoices] = useState<ReplayChoices>(NONE);
  return [choices, (key, value) => setChoices((old) => ({ ...old, [key]: value }))];
}

/** Where to, how many times, how many at once, what to break: `replay`'s flags. */
export function ReplayOptionsForm(props: { choices: ReplayChoices; set(key: keyof ReplayChoices, value: string): void; target: string | null }) {
  const { choices, set } = props;
  const input = (key: keyof ReplayChoices) => (event: Event) => set(key, (event.currentTarget as HTMLInputElement).value);
  return (
    <details class="replay-options">
      <summary>Replay options</summary>
      <label>
        to <input value={choices.to} onInput={input("to")} placeholder={props.target ?? "3000 or http://localhost:3000/hook"} />
      </label>
      <label>
        times <input type="number" min={1} max={1000} value={choices.times} onInput={input("times")} />
      </label>
      <label>
        concurrency <input type="number" min={1} max={64} value={choices.concurrency} onInput={input("concurrency")} />
      </label>
      <label>
        tamper
        <select value={choices.tamper} onChange={input("tamper")}>
          <option value="">nothing</option>
          <option value="signature">signature</option>
          <option value="body">body</option>
          <option value="timestamp">timestamp</option>
        </select>
      </label>
      <label>
        stale <input value={choices.stale} onInput={input("stale")} placeholder="10m" size={5} />
      </label>
    </details>
  );
}
