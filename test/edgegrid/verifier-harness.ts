import type { ClientRecord, VerifierDeps } from "../../src/edgegrid/index.ts";

export interface TestClient extends ClientRecord {
  readonly name: string;
}

/** An in-memory nonce store with the semantics the verifier expects of the real one. */
export function memoryNonces(now: () => Date) {
  const seen = new Map<string, number>();
  const calls: Array<{ clientToken: string; nonce: string; expiresAt: Date }> = [];
  return {
    calls,
    rememberNonce: async (input: { clientToken: string; nonce: string; expiresAt: Date }) => {
      calls.push(input);
      const key = `${input.clientToken}\u0000${input.nonce}`;
      const expiresAt = seen.get(key);
      if (expiresAt !== undefined && expiresAt >= now().getTime()) return false;
      seen.set(key, input.expiresAt.getTime());
      return true;
    },
  };
}

/** Verifier deps over a fixed table of clients keyed by client token. */
export function depsFor({
  clients,
  now,
  maxSkewSeconds,
  headersToSign,
  maxBody,
}: {
  clients: Readonly<Record<string, TestClient>>;
  now: () => Date;
  maxSkewSeconds: number | null;
  headersToSign?: readonly string[];
  maxBody?: number;
}) {
  const nonces = memoryNonces(now);
  const lookups: string[] = [];
  const deps: VerifierDeps<TestClient> = {
    lookupClient: async (clientToken) => {
      lookups.push(clientToken);
      return Object.hasOwn(clients, clientToken) ? (clients[clientToken] ?? null) : null;
    },
    rememberNonce: nonces.rememberNonce,
    now,
    maxSkewSeconds,
    ...(headersToSign === undefined ? {} : { headersToSign }),
    ...(maxBody === undefined ? {} : { maxBody }),
  };
  return { deps, nonceCalls: nonces.calls, lookups };
}

/** Replaces one `name=value` field of an Authorization header, keeping everything else. */
export function withField(header: string, name: string, value: string): string {
  const pattern = new RegExp(`(^|[ ;])${name}=[^;]*`);
  if (!pattern.test(header)) throw new Error(`no ${name} in ${header}`);
  return header.replace(pattern, (_match, lead: string) => `${lead}${name}=${value}`);
}

/** The value of one `name=value` field of an Authorization header. */
export function fieldOf(header: string, name: string): string {
  const value = new RegExp(`(?:^|[ ;])${name}=([^;]*)`).exec(header)?.[1];
  if (value === undefined) throw new Error(`no ${name} in ${header}`);
  return value;
}
