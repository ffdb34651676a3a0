import { useId } from "preact/hooks";
import type { ValueType } from "../lib/item-value.ts";
import { FieldError } from "./common.tsx";

/** An item's value: JSON or text, its error under it. */
export function ValueEditor({
  type,
  text,
  error,
  onType,
  onText,
  rows = 12,
}: {
  type: ValueType;
  text: string;
  error: string | null;
  onType(type: ValueType): void;
  onText(text: string): void;
  rows?: number;
}) {
  const id = useId();
  return (
    <>
      <fieldset class="fieldset fieldset-inline">
        <legend>Type</legend>
        <label class="check">
          <input type="radio" name={`${id}-type`} checked={type === "json"} onChange={() => onType("json")} />
          JSON
        </label>
        <label class="check">
          <input type="radio" name={`${id}-type`} checked={type === "text"} onChange={() => onType("text")} />
          Text
        </label>
      </fieldset>
      <div class={`field${error ? " field-invalid" : ""}`}>
        <label for={id}>Value</label>
        <textarea
          id={id}
          class="code"
          rows={rows}
          spellcheck={false}
          value={text}
          onInput={(event) => onText(event.currentTarget.value)}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <FieldError id={`${id}-error`} error={error} />
      </div>
    </>
  );
}
