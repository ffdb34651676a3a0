import type { ComponentChildren, TargetedEvent } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";
import { formatRelative, formatRelativeDay, formatUtc, utcDayStart } from "../lib/relative-time.ts";
import type { TokenStatus } from "../lib/tokens.ts";
import { useServerNow } from "./hooks.ts";

/** The server's time to the second, ticking on its own (the rest of the page is not re-rendered). */
export function ServerTime() {
  const now = useServerNow(1000);
  return <time dateTime={new Date(now).toISOString()}>{formatUtc(now)}</time>;
}

/** A time relative to the server's clock, the exact one in its tooltip. */
export function RelTime({ iso, now }: { iso: string | null; now: number }) {
  if (iso === null) return <span class="muted">never</span>;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={formatUtc(ms)}>
      {formatRelative(ms, now)}
    </time>
  );
}

/** A `YYYY-MM-DD` day relative to the server's day. */
export function RelDay({ date, now }: { date: string | null | undefined; now: number }) {
  if (date === null || date === undefined) return <span class="muted">none</span>;
  const start = utcDayStart(date);
  if (start === null) return <span>{date}</span>;
  return (
    <time dateTime={date} title={`${date} (UTC)`}>
      {formatRelativeDay(date, now)}
    </time>
  );
}

const STATUS_CLASS: Record<TokenStatus, string> = {
  COMPLETE: "ok",
  IN_PROGRESS: "busy",
  ERROR: "bad",
  EXPIRED: "off",
};

/** A status as its text, colored as well (never by color alone). */
export function StatusBadge({ status }: { status: TokenStatus }) {
  return <span class={`badge badge-${STATUS_CLASS[status]}`}>{status}</span>;
}

export function Badge({
  tone,
  children,
}: {
  tone: "ok" | "busy" | "bad" | "off" | "info";
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · EdgeKV console`;
  }, [title]);
  return (
    <div class="page-header">
      <h1 tabIndex={-1} id="page-title">
        {title}
      </h1>
      {children === undefined ? null : <div class="page-actions">{children}</div>}
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen; focusable so the keyboard can scroll it too. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

export function ErrorNote({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p class="error-note" role="alert">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

interface InputProps {
  readonly value: string;
  onInput(event: TargetedEvent<HTMLInputElement>): void;
  /** Default: text. */
  readonly date?: boolean;
  readonly placeholder?: string;
  readonly autocomplete?: string;
  readonly inputMode?: "numeric" | "text";
  readonly required?: boolean;
}

/** A labelled input; an error sits right under it, named by aria-describedby. */
export function TextField({
  label,
  error,
  hint,
  ...input
}: { label: string; error?: string | null | undefined; hint?: string } & InputProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const { date, ...attributes } = input;
  const props = {
    id,
    ...attributes,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": described === "" ? undefined : described,
  };
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      {date ? <input type="date" {...props} /> : <input type="text" {...props} />}
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error: string | null | undefined }) {
  if (!error) return null;
  return (
    <span class="field-error" id={id}>
      {error}
    </span>
  );
}

/** A native modal dialog: focus stays inside, Escape and Cancel close it. */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
  busy?: boolean;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-danger" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Text to copy: a read-only text area (selectable everywhere) and a Copy button. */
export function CopyBlock({
  label,
  text,
  rows,
  onCopied,
}: {
  label: string;
  text: string;
  rows?: number;
  onCopied(): void;
}) {
  const id = useId();
  return (
    <div class="copy-block">
      <div class="copy-head">
        <label for={id}>{label}</label>
        <button
          type="button"
          class="button button-small"
          aria-label={`Copy ${label}`}
          onClick={() => {
            navigator.clipboard?.writeText(text).then(onCopied, () => undefined);
          }}
        >
          Copy
        </button>
      </div>
      <textarea
        id={id}
        class="code"
        readOnly
        rows={rows ?? Math.min(12, text.split("\n").length + 1)}
        spellcheck={false}
        value={text}
      />
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
