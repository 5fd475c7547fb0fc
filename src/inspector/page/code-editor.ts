import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { linter } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

// CodeMirror 6, loaded only when a body is edited (its own chunk: the list's first paint does not wait for it).

const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--bg)", border: "1px solid var(--line)", borderRadius: "6px", maxHeight: "50vh" },
  "&.cm-focused": { outline: "2px solid var(--accent)" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: "13px", overflow: "auto" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderRight: "1px solid var(--line)" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--selected)" },
  ".cm-content": { caretColor: "var(--fg)" },
});

export interface EditorOptions {
  initial: string;
  label: string;
  asJson: boolean;
  onChange(text: string): void;
}

/**
 * An editor holding the text exactly as given (the provider's layout, never re-serialised), with JSON highlighting
 * and syntax errors marked in place. It lives in a shadow root, where CodeMirror's styles go into a constructed
 * style sheet: the page's CSP allows no inline <style>.
 */
export function mountEditor(host: HTMLElement, options: EditorOptions): () => void {
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc: options.initial,
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        bracketMatching(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        syntaxHighlighting(defaultHighlightStyle),
        theme,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": options.label, "data-testid": "body-editor" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
        ...(options.asJson ? [json(), linter(jsonParseLinter(), { delay: 300 })] : []),
      ],
    }),
  });
  return () => view.destroy();
}
