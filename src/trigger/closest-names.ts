/**
 * The names nearest to what was typed, for "did you mean": by edit distance (Levenshtein; `pull_request.open` is one
 * from `pull_request.opened`), closest first, only those near enough to be a slip (a third of the name's length at
 * most), then names that contain what was typed.
 */
export function closestNames(typed: string, names: readonly string[], limit: number): string[] {
  const wanted = typed.toLowerCase();
  const scored = names.map((name) => ({ name, distance: editDistance(wanted, name.toLowerCase()) }));
  const near = scored
    .filter(({ name, distance }) => distance <= Math.max(2, Math.floor(Math.max(name.length, wanted.length) / 3)))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .map(({ name }) => name);
  const containing = names.filter((name) => name.toLowerCase().includes(wanted) && !near.includes(name)).sort();
  return [...near, ...containing].slice(0, limit);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
