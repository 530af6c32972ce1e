// Number formatting shared by the interface strings.

export function pct(x) {
  return `${Math.round((Number(x) || 0) * 100)}%`;
}
