/**
 * The rules of EdgeKV names, shared by the server (which answers a broken rule with 400) and the
 * command line (which refuses before sending). `edgekv.js` checks the same ones at the edge.
 */
export interface NameRule {
  readonly maxLength: number;
  readonly mayStartWithDash: boolean;
  /** One sentence per way a name can break the rule. */
  readonly messages: {
    readonly length: string;
    readonly characters: string;
    readonly dash: string;
  };
}

/** Letters, digits, `_` and `-`: every EdgeKV name and token name is made of these. */
export const NAME_CHARACTERS = /^[A-Za-z0-9_-]*$/;

const rule = (label: string, maxLength: number, mayStartWithDash: boolean): NameRule => ({
  maxLength,
  mayStartWithDash,
  messages: {
    length: `${label} must be 1 to ${maxLength} characters long.`,
    characters: `${label} contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'.`,
    dash: `${label} must not start with '-'.`,
  },
});

export const NAMESPACE_NAME = rule("Namespace name", 32, false);
export const GROUP_NAME = rule("Group name", 128, true);
export const ITEM_KEY = rule("Item key", 512, true);
/** Token names follow the namespace rule, in the words of Akamai's own messages. */
export const TOKEN_NAME: NameRule = {
  maxLength: 32,
  mayStartWithDash: false,
  messages: {
    length: "The token name must be between 1 and 32 characters long.",
    characters: "Name contains invalid characters. Use letters, digits, '_' and '-'.",
    dash: "Name contains invalid characters. It must not start with '-'.",
  },
};

/** What is wrong with `name` under `rule`, in one sentence; null when nothing is. */
export function nameProblem(rule: NameRule, name: string): string | null {
  if (name.length < 1 || name.length > rule.maxLength) return rule.messages.length;
  if (!NAME_CHARACTERS.test(name)) return rule.messages.characters;
  if (!rule.mayStartWithDash && name.startsWith("-")) return rule.messages.dash;
  return null;
}

export const isName = (rule: NameRule, name: string): boolean => nameProblem(rule, name) === null;
