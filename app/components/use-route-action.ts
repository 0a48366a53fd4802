import type { SerializeFrom } from "@remix-run/node";
import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";

type Answer = { ok: boolean; errors?: Record<string, string> };
type Success<A> = Extract<SerializeFrom<A>, { ok: true }>;

/**
 * A fetcher for this route's action (`A` is `typeof action`). It reports a success once, when the answer arrives,
 * and keeps the answer's field errors as state: a field's error can go away as soon as the field is edited
 * (clearError), not only on the next save. The errors are i18n keys; fieldError gives the words.
 */
export function useRouteAction<A>(onDone?: (answer: Success<A>) => void) {
  const t = useT();
  const fetcher = useFetcher<A>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    const result = answer as Answer | undefined;
    if (result?.ok) onDone?.(answer as Success<A>);
    setErrors(result && !result.ok ? (result.errors ?? {}) : {});
    // onDone changes every render; the answer is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  const clearError = (...fields: string[]) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !fields.includes(key))));
  /** The words for the first of `fields` that has an error. */
  const fieldError = (...fields: string[]) => {
    const key = fields.map((field) => errors[field]).find(Boolean);
    return key ? t(key as MessageKey) : undefined;
  };
  return { fetcher, answer, errors, setErrors, clearError, fieldError, busy: fetcher.state !== "idle" };
}
