export { type BundleUpdate, readBundleTokensFile, type UpdateBundleInput, updateBundle } from "./bundle.ts";
export {
  type TokenFileEntries,
  type TokenFileEntry,
  type TokenForFile,
  tokenFileEntries,
} from "./entries.ts";
export { TokensFileError } from "./errors.ts";
export { parseTokensFile } from "./parse.ts";
export { renderTokensFile } from "./render.ts";
export { type SavedTokensFile, type SaveTokensFileInput, saveTokensFile } from "./save.ts";
export {
  type TokensFileChanges,
  type TokensFileUpdate,
  type UpdateTokensFileInput,
  updateTokensFile,
} from "./update.ts";
