import { ApiError } from "../errors.ts";
import type { ItemContentType } from "./model.ts";

/**
 * EdgeKV's limit is in characters. They are counted as JavaScript counts them, in UTF-16 code units
 * of the decoded text (what `value.length` is inside an EdgeWorker), so a character outside the
 * Basic Multilingual Plane counts twice.
 */
export const MAX_VALUE_CHARACTERS = 262_144;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export interface ItemValue {
  readonly value: Buffer;
  readonly contentType: ItemContentType;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
const mediaType = (header: string | undefined): string =>
  (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * Checks a written value and keeps its bytes exactly as sent. `application/json` values must be
 * JSON; anything else (or no Content-Type, as `edgekv.js` sends) is stored as UTF-8 text.
 */
export function readItemValue(body: Buffer, contentTypeHeader: string | undefined): ItemValue {
  const contentType: ItemContentType =
    mediaType(contentTypeHeader) === "application/json" ? "application/json" : "text/plain; charset=utf-8";
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ApiError("kv_validation", "The value must be UTF-8 text.");
  }
  if (text.length > MAX_VALUE_CHARACTERS) {
    throw new ApiError("kv_value_too_large", `Value cannot exceed ${MAX_VALUE_CHARACTERS} characters.`);
  }
  if (contentType === "application/json") {
    try {
      JSON.parse(text);
    } catch {
      throw new ApiError(
        "kv_validation",
        "The value is not valid JSON. Send JSON with Content-Type application/json, or text as text/plain.",
      );
    }
  }
  return { value: body, contentType };
}
