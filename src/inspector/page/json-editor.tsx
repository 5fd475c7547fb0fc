import { useEffect, useRef, useState } from "preact/hooks";

/** The body editor: CodeMirror, fetched on first use; until it is there, a line that says so. */
export function JsonEditor(props: { initial: string; label: string; asJson: boolean; onChange(text: string): void }) {
  const host = useRef<HTMLDivElement>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let unmount: (() => void) | null = null;
    let gone = false;
    import("./code-editor.js").then(
      ({ mountEditor }) => {
        if (gone || !host.current) return;
        unmount = mountEditor(host.current, { initial: props.initial, label: props.label, asJson: props.asJson, onChange: (text) => onChange.current(text) });
      },
      (error: unknown) => setFailed(String(error)),
    );
    return () => {
      gone = true;
      unmount?.();
    };
  }, []);
  if (failed) return <p class="error">The editor did not load: {failed}</p>;
  return <div class="editor" ref={host} />;
}
