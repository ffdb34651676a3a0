import { isBlankOrComment, sectionHeaderName } from "./edgerc-syntax.ts";

export interface EdgercCredentials {
  readonly host: string;
  readonly clientToken: string;
  readonly clientSecret: string;
  readonly accessToken: string;
}

export interface EdgercSection extends EdgercCredentials {
  readonly maxBody?: number;
  readonly headersToSign?: readonly string[];
}

const REQUIRED_KEYS = ["host", "client_token", "client_secret", "access_token"] as const;

/** Akamai's Java reader and older files spell it `max-body`. */
const normaliseKey = (key: string) => (key === "max-body" ? "max_body" : key);

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first))
    return value.slice(1, -1);
  return value;
}

/**
 * Sections of an INI-style `.edgerc`: `[name]` headers, `key = value` lines split at the first `=`,
 * whole-line `#`/`;` comments. A section repeated later adds to (and overrides) the earlier one.
 */
export function parseEdgerc(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (isBlankOrComment(line)) continue;
    const name = sectionHeaderName(line);
    if (name !== null) {
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const equals = line.indexOf("=");
    if (current === undefined || equals < 0) continue;
    const key = normaliseKey(line.slice(0, equals).trim());
    if (key !== "") current.set(key, unquote(line.slice(equals + 1).trim()));
  }
  // Object.fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return new Map([...sections].map(([name, values]) => [name, Object.fromEntries(values)]));
}

/** The credentials of one section, or an Error that says what is missing where and how to fix it. */
export function readEdgercSection({
  text,
  section,
  path,
}: {
  text: string;
  section: string;
  path?: string;
}): EdgercSection {
  const where = path ?? "the .edgerc file";
  const sections = parseEdgerc(text);
  const values = sections.get(section);
  const howToFix = `Each section needs host, client_token, client_secret and access_token lines ("key = value").`;
  if (values === undefined) {
    const found = [...sections.keys()].map((name) => `[${name}]`);
    throw new Error(
      `Section [${section}] not found in ${where}; ${found.length === 0 ? "the file has no sections" : `it has: ${found.join(", ")}`}. ` +
        `Add a [${section}] section or use one of the existing ones. ${howToFix}`,
    );
  }
  const missing = REQUIRED_KEYS.filter((key) => (values[key] ?? "") === "");
  if (missing.length > 0) {
    throw new Error(
      `Section [${section}] of ${where} lacks ${missing.join(", ")}. ` +
        `Add the missing lines with the values of your API client's credentials. ${howToFix}`,
    );
  }
  return {
    host: values.host ?? "",
    clientToken: values.client_token ?? "",
    clientSecret: values.client_secret ?? "",
    accessToken: values.access_token ?? "",
    ...maxBodyOf({ value: values.max_body, section, where }),
    ...headersToSignOf(values.headers_to_sign),
  };
}

function maxBodyOf({ value, section, where }: { value: string | undefined; section: string; where: string }) {
  if (value === undefined) return {};
  const maxBody = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(maxBody) || maxBody <= 0) {
    throw new Error(
      `max_body in the [${section}] section of ${where} must be a positive whole number of bytes, got "${value}". ` +
        "Remove the line to use the default 131072.",
    );
  }
  return { maxBody };
}

function headersToSignOf(value: string | undefined) {
  if (value === undefined) return {};
  const headersToSign = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return { headersToSign };
}

/**
 * Credentials from `AKAMAI_HOST`, `AKAMAI_CLIENT_TOKEN`, `AKAMAI_CLIENT_SECRET`, `AKAMAI_ACCESS_TOKEN`
 * (for a section other than `default`, `AKAMAI_<SECTION>_…`), as Akamai's clients read them; null
 * unless all four are set and non-empty under one prefix.
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  section: string,
): EdgercCredentials | null {
  if (section === "default") return credentialsWithPrefix(env, "AKAMAI_");
  const upper = section.toUpperCase();
  // Akamai's clients only upper-case the name; a shell cannot set `AKAMAI_MY-SECTION_HOST`, so
  // the name with every other character turned into `_` is tried as well.
  return (
    credentialsWithPrefix(env, `AKAMAI_${upper}_`) ??
    credentialsWithPrefix(env, `AKAMAI_${upper.replace(/[^A-Z0-9_]/g, "_")}_`)
  );
}

function credentialsWithPrefix(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
): EdgercCredentials | null {
  const read = (name: string) => {
    const value = env[`${prefix}${name}`];
    return value === undefined || value === "" ? null : value;
  };
  const host = read("HOST");
  const clientToken = read("CLIENT_TOKEN");
  const clientSecret = read("CLIENT_SECRET");
  const accessToken = read("ACCESS_TOKEN");
  if (host === null || clientToken === null || clientSecret === null || accessToken === null) return null;
  return { host, clientToken, clientSecret, accessToken };
}
