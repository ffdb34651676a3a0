import type { EdgeGridCredentials } from "./signer.ts";

export interface EdgercCredentials extends EdgeGridCredentials {
  readonly host: string;
  readonly maxBody?: number;
  readonly headersToSign?: readonly string[];
}

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const ENTRY = /^\s*([^=\s][^=]*?)\s*=\s*(.*?)\s*$/;

function unquote(value: string): string {
  const first = value[0];
  return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
    ? value.slice(1, -1)
    : value;
}

/** Reads an INI-style `.edgerc`: sections of `key = value` lines; `#` and `;` start comment lines. */
export function parseEdgerc(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(line)) continue;
    const section = SECTION.exec(line);
    if (section?.[1] !== undefined) {
      const name = section[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const entry = ENTRY.exec(line);
    if (entry?.[1] === undefined || entry[2] === undefined || current === undefined) continue;
    const key = entry[1].toLowerCase().replace(/-/g, "_");
    current[key] = unquote(entry[2]);
  }
  return sections;
}

const REQUIRED = ["host", "client_token", "client_secret", "access_token"] as const;

/** The credentials of one section, or an Error that says what is missing and where. */
export function readEdgercSection({
  text,
  section,
  path = ".edgerc",
}: {
  text: string;
  section: string;
  path?: string;
}): EdgercCredentials {
  const sections = parseEdgerc(text);
  const values = sections.get(section);
  if (values === undefined) {
    const known = [...sections.keys()];
    throw new Error(
      `Section [${section}] not found in ${path}` +
        (known.length === 0
          ? " (the file has no sections)."
          : `; it has: ${known.map((s) => `[${s}]`).join(", ")}.`) +
        " Choose one with --section.",
    );
  }
  const missing = REQUIRED.filter((key) => (values[key] ?? "") === "");
  if (missing.length > 0) {
    throw new Error(
      `Section [${section}] of ${path} lacks ${missing.join(", ")}; add "key = value" lines for them.`,
    );
  }
  const maxBody = values.max_body === undefined ? undefined : Number(values.max_body);
  const headersToSign = values.headers_to_sign
    ?.split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return {
    host: values.host ?? "",
    clientToken: values.client_token ?? "",
    clientSecret: values.client_secret ?? "",
    accessToken: values.access_token ?? "",
    ...(maxBody !== undefined && Number.isInteger(maxBody) && maxBody > 0 ? { maxBody } : {}),
    ...(headersToSign === undefined ? {} : { headersToSign }),
  };
}

/**
 * Credentials from `AKAMAI_HOST`, `AKAMAI_CLIENT_TOKEN`, `AKAMAI_CLIENT_SECRET`, `AKAMAI_ACCESS_TOKEN`
 * (section X: `AKAMAI_X_HOST`, …), as Akamai's clients read them; null unless all four are set.
 */
export function credentialsFromEnv(
  env: Record<string, string | undefined>,
  section: string,
): EdgercCredentials | null {
  const prefix = section === "default" ? "AKAMAI_" : `AKAMAI_${section.toUpperCase().replace(/-/g, "_")}_`;
  const host = env[`${prefix}HOST`];
  const clientToken = env[`${prefix}CLIENT_TOKEN`];
  const clientSecret = env[`${prefix}CLIENT_SECRET`];
  const accessToken = env[`${prefix}ACCESS_TOKEN`];
  if (!host || !clientToken || !clientSecret || !accessToken) return null;
  return { host, clientToken, clientSecret, accessToken };
}

/** The file text with one section replaced (or appended); every other line stays as it was. */
export function upsertEdgercSection({
  text = "",
  section,
  values,
}: {
  text?: string;
  section: string;
  values: Record<string, string>;
}): string {
  const block = [`[${section}]`, ...Object.entries(values).map(([key, value]) => `${key} = ${value}`)];
  const lines = text === "" ? [] : text.split("\n");
  const start = lines.findIndex((line) => SECTION.exec(line)?.[1]?.trim() === section);
  if (start === -1) {
    const prefix = text === "" ? "" : text.endsWith("\n") ? `${text}\n` : `${text}\n\n`;
    return `${prefix}${block.join("\n")}\n`;
  }
  let end = start + 1;
  while (end < lines.length && !SECTION.test(lines[end] ?? "")) end += 1;
  const rest = lines.slice(end);
  return [...lines.slice(0, start), ...block, "", ...rest].join("\n");
}
