import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { credentialsFromEnv } from "../edgegrid/index.ts";
import { type ClientCredentials, readEdgercFile } from "./edgegrid-client.ts";
import { UserError } from "./user-error.ts";

/** The data directory `edgekv serve` uses unless told otherwise, and where it writes its .edgerc. */
export const DEFAULT_DATA_DIR = ".edgekv";
export const localEdgerc = (dataDir: string) => join(dataDir, "edgerc");
export const localCaCert = (dataDir: string) => join(dataDir, "tls", "cert.pem");

export interface LocatedCredentials {
  credentials: ClientCredentials;
  /** Where they came from, as the host line names it: `.edgekv/edgerc [default]`. */
  origin: string;
  /** The local server's certificate, to trust (unless --ca-cert says otherwise) when its .edgerc was picked without being asked for. */
  localCa?: string;
}

const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() === true;

/** A path under the working directory as the user would type it; others in full. */
function shown(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside === "" || inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}

/**
 * Credentials as Akamai's tools find them (the AKAMAI_* variables when all four are set, else the
 * section of `--edgerc` or `AKAMAI_EDGERC`), with one step before `~/.edgerc`: a local server's
 * `.edgekv/edgerc` in the working directory. For an Akamai customer `~/.edgerc` is the real
 * account, so a command run beside a local server talks to that server unless told otherwise.
 */
export async function locateCredentials({
  edgerc,
  section,
  env,
  cwd,
}: {
  edgerc: string | undefined;
  section: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}): Promise<LocatedCredentials> {
  const name = section ?? env.AKAMAI_EDGERC_SECTION ?? "default";
  const fromEnv = credentialsFromEnv(env, name);
  if (fromEnv !== null) {
    const prefix = name === "default" ? "AKAMAI_" : `AKAMAI_${name.toUpperCase()}_`;
    return { credentials: fromEnv, origin: `${prefix}* variables` };
  }
  // An empty value (`AKAMAI_EDGERC= edgekv …`) names no file.
  const given = edgerc || env.AKAMAI_EDGERC || undefined;
  if (given !== undefined) {
    return { credentials: await readEdgercFile(given, name), origin: `${given} [${name}]` };
  }
  const dataDir = resolve(cwd, env.EDGEKV_DATA_DIR || DEFAULT_DATA_DIR);
  const local = localEdgerc(dataDir);
  if (await isFile(local)) {
    const credentials = await readEdgercFile(local, name).catch((error: unknown) => {
      throw new UserError(
        `${(error as Error).message} (${shown(local, cwd)} is the local server's, used because no --edgerc, ` +
          "AKAMAI_EDGERC or AKAMAI_* variables were given; for your Akamai account pass --edgerc ~/.edgerc.)",
      );
    });
    // Trusted even when NODE_EXTRA_CA_CERTS is set: that often names a system bundle, which Node
    // read at start-up anyway, and the request goes to the server that wrote this certificate.
    const ca = localCaCert(dataDir);
    return {
      credentials,
      origin: `${shown(local, cwd)} [${name}], the local server's, not ~/.edgerc`,
      ...((await isFile(ca)) ? { localCa: ca } : {}),
    };
  }
  const home = env.HOME || homedir();
  return { credentials: await readEdgercFile(join(home, ".edgerc"), name), origin: `~/.edgerc [${name}]` };
}

/** `edgekv: using https://127.0.0.1:8443 (.edgekv/edgerc [default])`: where a command is about to talk. */
export function hostLine({ credentials, origin }: LocatedCredentials): string {
  const host = credentials.host.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  return `edgekv: using https://${host} (${origin})\n`;
}
