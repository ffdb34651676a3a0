import { X509Certificate } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";
import { ApiError } from "../errors.ts";
import { writeAtomically } from "../fs/atomic-write.ts";

export interface Certificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** True when this call generated the pair, false when it was read from `dir`. */
  created: boolean;
}

const COMMON_NAME = "edgekv-server local CA";
const DAY_MS = 86_400_000;
const VALID_DAYS = 825;

/**
 * The server's certificate and key, `<dir>/cert.pem` and `<dir>/key.pem`, generated on first use
 * and read back afterwards. The certificate is self-signed and also a CA, so the one PEM is both
 * what the server presents and what clients trust (NODE_EXTRA_CA_CERTS, or `ca:` in TLS options);
 * it names every entry of `hosts`, IP addresses as IP SANs and the rest as DNS SANs. A pair that
 * exists is returned as is, whatever it names and however long it remains valid.
 */
export async function ensureCertificate({
  dir,
  hosts,
  now,
}: {
  dir: string;
  hosts: readonly string[];
  now: Date;
}): Promise<Certificate> {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const [existingCert, existingKey] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
  // A generated certificate is renewed once it has expired or is unreadable (clients would refuse it anyway).
  if (existingCert !== null && existingKey !== null && !expired(existingCert, now)) {
    return { certPath, keyPath, cert: existingCert, key: existingKey, created: false };
  }

  const altNames = subjectAltNames(hosts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pems = await generate([{ name: "commonName", value: COMMON_NAME }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames },
    ],
  });
  // selfsigned ends the certificate PEM without a newline; a file that is appended to CA bundles
  // needs one.
  const cert = withFinalNewline(pems.cert);
  const key = withFinalNewline(pems.private);
  // No cert.pem until the new key is in place: a crash in between leaves the pair incomplete, so
  // the next start regenerates both instead of pairing a certificate with the wrong key.
  await rm(certPath, { force: true });
  await writeAtomically(keyPath, key, { mode: 0o600 });
  await writeAtomically(certPath, cert, { mode: 0o644 });
  return { certPath, keyPath, cert, key, created: true };
}

/** Expired, or not a certificate at all (then it is generated anew too). */
function expired(certPem: string, now: Date): boolean {
  try {
    return Date.parse(new X509Certificate(certPem).validTo) <= now.getTime();
  } catch {
    return true;
  }
}

type AltName = { type: 2; value: string } | { type: 7; ip: string };

function subjectAltNames(hosts: readonly string[]): AltName[] {
  const names = new Set<string>();
  for (const host of hosts) {
    // A bracketed IPv6 literal, as in a URL, names the address inside the brackets.
    const name = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
    if (name !== "") names.add(name);
  }
  if (names.size === 0) {
    throw new ApiError("internal", "A TLS certificate needs at least one host name or IP address.");
  }
  return [...names].map((name) => (isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name }));
}

const withFinalNewline = (pem: string): string => (pem.endsWith("\n") ? pem : `${pem}\n`);

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return null;
    throw error;
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
