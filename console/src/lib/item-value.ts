export type ValueType = "json" | "text";

/** An item's value as read (the body's text): JSON pretty-printed, text as it is. */
export function valueForEditing(body: string, contentType: string): { type: ValueType; text: string } {
  if (/json/i.test(contentType)) {
    try {
      return { type: "json", text: JSON.stringify(JSON.parse(body), null, 2) };
    } catch {
      return { type: "text", text: body };
    }
  }
  return { type: "text", text: body };
}

export type CheckedValue =
  | { readonly ok: true; readonly body: string }
  | { readonly ok: false; readonly error: string };

/** The body to write, JSON checked (and sent compact) before it leaves the page. */
export function checkValue(type: ValueType, text: string): CheckedValue {
  if (type === "text") return { ok: true, body: text };
  try {
    return { ok: true, body: JSON.stringify(JSON.parse(text)) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Not valid JSON: ${reason}` };
  }
}

/** `300` → 300; `5m` style durations through `durationSeconds`; null when it is neither. */
export function retentionSeconds(
  text: string,
  durationSeconds: (text: string) => number | null,
): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return durationSeconds(trimmed);
}

/** "30 days", "1 hour 30 min", "keeps items until deleted". */
export function describeRetention(seconds: number): string {
  if (seconds === 0) return "until deleted";
  const parts: string[] = [];
  let left = seconds;
  for (const [size, one, many] of [
    [86_400, "day", "days"],
    [3_600, "hour", "hours"],
    [60, "min", "min"],
    [1, "s", "s"],
  ] as const) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count} ${count === 1 ? one : many}`);
  }
  return parts.join(" ");
}
