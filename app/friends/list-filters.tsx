// The friends list's filters and search, kept in the URL (the other parameters — shop, host, locale… — stay).
import { useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { ChoiceList, type AppliedFilterInterface, type FilterInterface } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";

export const FILTER_KEYS = ["q", "status", "tagId", "linked", "operatorBlocked", "lineAccountId"] as const;

type Choices = { tags: { id: string; name: string }[]; accounts: { id: string; displayName: string }[] };

export function useFriendFilters(data: Choices) {
  const t = useT();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const statusLabel = (status: string) =>
    ["following", "blocked", "unknown"].includes(status) ? t(`friends.status.${status}` as MessageKey) : status;

  const go = (changes: Record<string, string | null>, state?: unknown) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("after" in changes)) next.delete("after");
    // Typing a search replaces the history entry instead of adding one per pause.
    navigate(`?${next.toString()}`, { state, replace: "q" in changes && Object.keys(changes).length === 1 });
  };

  const [query, setQuery] = useState(searchParams.get("q") ?? "");
  const typing = useRef<ReturnType<typeof setTimeout>>();
  // Follow the URL (back button, "clear all") without undoing what is being typed.
  useEffect(() => {
    const q = searchParams.get("q") ?? "";
    setQuery((current) => (current.trim() === q ? current : q));
  }, [searchParams]);
  useEffect(() => () => clearTimeout(typing.current), []);
  const onQueryChange = (value: string) => {
    setQuery(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => go({ q: value.trim() || null }), 400);
  };

  const choice = (key: (typeof FILTER_KEYS)[number], label: string, choices: { label: string; value: string }[]): FilterInterface => ({
    key,
    label,
    pinned: true,
    filter: (
      <ChoiceList
        title={label}
        titleHidden
        choices={choices}
        selected={searchParams.get(key) ? [searchParams.get(key) as string] : []}
        onChange={([value]) => go({ [key]: value ?? null })}
      />
    ),
  });
  const yesNo = [
    { label: t("friends.filter.yes"), value: "true" },
    { label: t("friends.filter.no"), value: "false" },
  ];
  const filters: FilterInterface[] = [
    choice("status", t("friends.filter.status"), [
      { label: t("friends.status.following"), value: "following" },
      { label: t("friends.status.blocked"), value: "blocked" },
      { label: t("friends.status.unknown"), value: "unknown" },
    ]),
    choice("tagId", t("friends.filter.tag"), data.tags.map((tag) => ({ label: tag.name, value: tag.id }))),
    choice("linked", t("friends.filter.linked"), yesNo),
    choice("operatorBlocked", t("friends.filter.operatorBlocked"), yesNo),
    ...(data.accounts.length > 1
      ? [choice("lineAccountId", t("friends.filter.account"), data.accounts.map((a) => ({ label: a.displayName, value: a.id })))]
      : []),
  ];
  const labelOf = (key: string, value: string): string => {
    if (key === "status") return `${t("friends.filter.status")}: ${statusLabel(value)}`;
    if (key === "tagId") return `${t("friends.filter.tag")}: ${data.tags.find((tag) => tag.id === value)?.name ?? "?"}`;
    if (key === "lineAccountId") return `${t("friends.filter.account")}: ${data.accounts.find((a) => a.id === value)?.displayName ?? "?"}`;
    const yes = value === "true" ? t("friends.filter.yes") : t("friends.filter.no");
    return `${t(key === "linked" ? "friends.filter.linked" : "friends.filter.operatorBlocked")}: ${yes}`;
  };
  const appliedFilters: AppliedFilterInterface[] = FILTER_KEYS.filter((key) => key !== "q" && searchParams.get(key)).map((key) => ({
    key,
    label: labelOf(key, searchParams.get(key) as string),
    onRemove: () => go({ [key]: null }),
  }));

  // "Previous" goes back through the cursors this visit followed; a page opened by link goes to the first page.
  const trail = ((location.state as { trail?: string[] } | null)?.trail ?? []) as string[];
  const previous = () => {
    const back = trail.at(-1);
    if (back !== undefined) go({ after: back || null }, { trail: trail.slice(0, -1) });
    else go({ after: null });
  };
  const next = (cursor: string) => go({ after: cursor }, { trail: [...trail, searchParams.get("after") ?? ""] });

  const filtering = [...FILTER_KEYS, "segment"].some((key) => searchParams.get(key));
  /** The filter as form fields (for "all matching" bulk actions and the CSV link): no paging, no sort. */
  const filterFields = Object.fromEntries([...FILTER_KEYS, "segment"].flatMap((key) => (searchParams.get(key) ? [[key, searchParams.get(key) as string]] : [])));
  return {
    searchParams, go, query, onQueryChange, filters, appliedFilters, previous, next, filtering, filterFields,
    clearAll: () => go(Object.fromEntries(FILTER_KEYS.map((key) => [key, null]))),
  };
}
