import packageJson from "../package.json" with { type: "json" };

/** This edgekv-server's version, as package.json gives it. */
export const VERSION: string = packageJson.version;
