/**
 * The rules of EdgeKV names, shared by the server (which answers a broken rule with 400) and the
 * command line (which refuses before sending). `edgekv.js` checks the same ones at the edge.
 */
export interface NameRule {
  /** How a message names the thing: "Namespace name", "Item key". */
  readonly label: string;
  readonly maxLength: number;
  readonly mayStartWithDash: boolean;
}

/** Letters, digits, `_` and `-`: every EdgeKV name and token name is made of these. */
export const NAME_CHARACTERS = /^[A-Za-z0-9_-]*$/;

export const NAMESPACE_NAME: NameRule = { label: "Namespace name", maxLength: 32, mayStartWithDash: false };
export const GROUP_NAME: NameRule = { label: "Group name", maxLength: 128, mayStartWithDash: true };
export const ITEM_KEY: NameRule = { label: "Item key", maxLength: 512, mayStartWithDash: true };
export const TOKEN_NAME: NameRule = { label: "Token name", maxLength: 32, mayStartWithDash: false };

/** The JSON Schema / regex form of a rule, for documents and schemas. */
export const namePattern = (rule: NameRule): string =>
  `^${rule.mayStartWithDash ? "" : "(?!-)"}[A-Za-z0-9_-]{1,${rule.maxLength}}$`;

/** What is wrong with `name` under `rule`, in one sentence; null when nothing is. */
export function nameProblem(rule: NameRule, name: string): string | null {
  if (name.length < 1 || name.length > rule.maxLength) {
    return `${rule.label} must be 1 to ${rule.maxLength} characters long.`;
  }
  if (!NAME_CHARACTERS.test(name)) {
    return `${rule.label} contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'.`;
  }
  if (!rule.mayStartWithDash && name.startsWith("-")) return `${rule.label} must not start with '-'.`;
  return null;
}

export const isName = (rule: NameRule, name: string): boolean => nameProblem(rule, name) === null;
