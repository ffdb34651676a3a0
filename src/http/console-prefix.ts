/** Where the web console lives: its page, and below `/api` the admin API's twins and its own endpoints. */
export const CONSOLE_BASE = "/_edgekv/console";

export const CONSOLE_API_PREFIX = `${CONSOLE_BASE}/api`;

/** Whether a raw request target is one of the console API's. */
export const isConsoleTarget = (target: string): boolean =>
  target === CONSOLE_API_PREFIX ||
  target.startsWith(`${CONSOLE_API_PREFIX}/`) ||
  target.startsWith(`${CONSOLE_API_PREFIX}?`);
