import { X509Certificate } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface Certificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  created: boolean;
}

const VALID_DAYS = 825;

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}

/**
 * The server's certificate: `<dir>/cert.pem` and `key.pem`, generated once. It is its own CA
 * (clients trust it through NODE_EXTRA_CA_CERTS or `ca:`) and names every host in `hosts`.
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
  if (existingCert !== null && existingKey !== null) {
    return { certPath, keyPath, cert: existingCert, key: existingKey, created: false };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const notBefore = new Date(now.getTime() - 86_400_000);
  const pems = await generate([{ name: "commonName", value: "edgekv-server local certificate" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: notBefore,
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: hosts.map((host) => (isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host })),
      },
    ],
  });
  await writeAtomically(keyPath, pems.private, 0o600);
  await writeAtomically(certPath, pems.cert, 0o644);
  return { certPath, keyPath, cert: pems.cert, key: pems.private, created: true };
}

/** What is being served, for the start-up log. */
export function describeCertificate(certPem: string) {
  const x509 = new X509Certificate(certPem);
  return {
    subject: x509.subject,
    validTo: new Date(x509.validTo),
    altNames: x509.subjectAltName?.split(", ") ?? [],
    fingerprint256: x509.fingerprint256,
  };
}
