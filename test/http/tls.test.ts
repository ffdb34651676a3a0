import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, get, type RequestOptions, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Certificate, ensureCertificate } from "../../src/http/tls.ts";

/** What the generated certificate says, read with node:crypto. */
function describeCertificate(certPem: string) {
  const x509 = new X509Certificate(certPem);
  return {
    subject: x509.subject,
    validTo: new Date(x509.validTo),
    altNames: x509.subjectAltName?.split(", ") ?? [],
    fingerprint256: x509.fingerprint256,
  };
}

const HOSTS = ["127.0.0.1", "localhost", "::1"];
const DAY_MS = 86_400_000;

let root: string;
let dir: string;
// Whole seconds: X.509 validity has no finer resolution.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
let first: Certificate;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edgekv-tls-"));
  dir = join(root, "data", "tls");
  first = await ensureCertificate({ dir, hosts: HOSTS, now });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe("ensureCertificate", () => {
  it("creates the directory, key and certificate with their modes", async () => {
    expect(first.created).toBe(true);
    expect(first.certPath).toBe(join(dir, "cert.pem"));
    expect(first.keyPath).toBe(join(dir, "key.pem"));
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(first.keyPath)).toBe(0o600);
    expect(await modeOf(first.certPath)).toBe(0o644);
    expect(await readFile(first.certPath, "utf8")).toBe(first.cert);
    expect(await readFile(first.keyPath, "utf8")).toBe(first.key);
    expect((await readdir(dir)).sort()).toEqual(["cert.pem", "key.pem"]);
  });

  it("returns the existing pair on the next call", async () => {
    const second = await ensureCertificate({ dir, hosts: ["other.example"], now: new Date() });
    expect(second).toEqual({ ...first, created: false });
  });

  it("issues a CA certificate that also serves every host", () => {
    const x509 = new X509Certificate(first.cert);
    expect(x509.ca).toBe(true);
    expect(x509.subject).toBe("CN=edgekv-server local CA");
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(x509.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkIP("::1")).toBe("::1");
    expect(new Date(x509.validFrom)).toEqual(new Date(now.getTime() - DAY_MS));
    expect(new Date(x509.validTo)).toEqual(new Date(now.getTime() + 825 * DAY_MS));
    expect(x509.publicKey.asymmetricKeyType).toBe("rsa");
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.toString()).toBe(first.cert);
    expect(first.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
  });

  it("names its hosts and is valid for 825 days", () => {
    const description = describeCertificate(first.cert);
    expect(description.subject).toBe("CN=edgekv-server local CA");
    expect(description.validTo).toEqual(new Date(now.getTime() + 825 * DAY_MS));
    expect(description.altNames).toEqual([
      "IP Address:127.0.0.1",
      "DNS:localhost",
      "IP Address:0:0:0:0:0:0:0:1",
    ]);
    expect(description.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("regenerates when only one of the pair exists", async () => {
    const lonely = join(root, "lonely");
    const made = await ensureCertificate({ dir: lonely, hosts: ["[::1]", "db.internal"], now });
    await rm(made.certPath);
    const remade = await ensureCertificate({ dir: lonely, hosts: ["[::1]", "db.internal"], now });
    expect(remade.created).toBe(true);
    expect(remade.key).not.toBe(made.key);
    expect(describeCertificate(remade.cert).altNames).toEqual([
      "IP Address:0:0:0:0:0:0:0:1",
      "DNS:db.internal",
    ]);
  });

  it("renews an expired or unreadable certificate, and keeps one that is still valid", async () => {
    const old = join(root, "old");
    const past = new Date(now.getTime() - 900 * DAY_MS);
    const expired = await ensureCertificate({ dir: old, hosts: HOSTS, now: past });
    const stillValid = await ensureCertificate({
      dir: old,
      hosts: HOSTS,
      now: new Date(past.getTime() + 800 * DAY_MS),
    });
    expect(stillValid.created).toBe(false);
    const renewed = await ensureCertificate({ dir: old, hosts: HOSTS, now });
    expect(renewed.created).toBe(true);
    expect(renewed.cert).not.toBe(expired.cert);
    expect(describeCertificate(renewed.cert).validTo.getTime()).toBeGreaterThan(now.getTime());
    await writeFile(renewed.certPath, "not a certificate\n");
    expect((await ensureCertificate({ dir: old, hosts: HOSTS, now })).created).toBe(true);
  });

  it("refuses an empty host list", async () => {
    await expect(ensureCertificate({ dir: join(root, "empty"), hosts: [], now })).rejects.toMatchObject({
      code: "internal",
    });
  });
});

describe("a TLS round trip with the generated certificate", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ cert: first.cert, key: first.key }, (_request, response) => {
      response.end("hello over tls");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  it.each(["127.0.0.1", "localhost"])("trusts https://%s with the certificate as CA", async (host) => {
    // family 4: the server listens on 127.0.0.1 only, and localhost may resolve to ::1 first.
    const body = await fetchText(`https://${host}:${port}/`, { ca: first.cert, family: 4, agent: false });
    expect(body).toBe("hello over tls");
  });

  it("fails certificate verification without it", async () => {
    await expect(fetchText(`https://127.0.0.1:${port}/`, { agent: false })).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
  });
});

function fetchText(url: string, options: RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}
