import { CAPABILITIES, SERVER_CAPABILITIES } from "../../../src/accounts/model.ts";

/** Every capability a client can be given: Akamai's, and this server's own SERVER_ADMIN. */
export const EVERY_CAPABILITY: readonly string[] = [...CAPABILITIES, ...SERVER_CAPABILITIES];
