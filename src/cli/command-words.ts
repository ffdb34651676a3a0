import { Command } from "commander";

/**
 * A command as the user types it after `edgekv`: `token create` in this CLI's noun-verb order, or
 * `create token` in the official CLI's verb-noun order. One builder serves both spellings, so the
 * two run the same code; only the name and the help's example differ.
 */
export type CommandWords = string;

/** The command named by the last of its words. */
export const leafCommand = (words: CommandWords): Command => new Command(words.split(" ").at(-1) ?? words);
