import type { HeaderPairs } from "./api.js";
import { visible } from "./format.js";

/** Header pairs in their order, duplicates kept, control characters shown as escapes. */
export function HeaderTable({ headers, label }: { headers: HeaderPairs; label: string }) {
  return (
    <table class="headers" aria-label={label}>
      <tbody>
        {headers.map(([name, value], index) => (
          <tr key={index}>
            <th scope="row">{visible(name)}</th>
            <td>{visible(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
