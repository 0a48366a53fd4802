// A conversation: a fixed-height scroll area opened at the latest message, older items loaded as staff scroll up
// (keyset pages from /app/inbox/older), and the composer right below it, so replying never means scrolling the page.
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Spinner, Text } from "@shopify/polaris";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { LineErrorOriginal, useLineError } from "../../components/line-error-text";
import { isMessageKey, useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { dateTimeFormat } from "../../i18n/format";

export type ThreadItemView =
  | {
      type: "message";
      id: string;
      at: string;
      direction: "in" | "out";
      kind: string;
      text: string | null;
      sentVia: string | null;
      status: string;
      error: string | null;
      stickerUrl: string | null;
      image: { state: string; url?: string } | null;
    }
  | { type: "delivery"; id: string; at: string; kind: string; lines: string[] };

type OlderPage = { items: ThreadItemView[]; olderCursor: string | null };

const NEAR_TOP_PX = 80;
const NEAR_BOTTOM_PX = 120;

export function ThreadView(props: { friendId: string; items: ThreadItemView[]; olderCursor: string | null; timeZone: string; keepDays: number }) {
  const t = useT();
  const describeLineError = useLineError();
  const scroller = useRef<HTMLDivElement>(null);
  const fetcher = useFetcher<OlderPage>();
  const [older, setOlder] = useState<ThreadItemView[]>([]);
  const [cursor, setCursor] = useState<string | null>(props.olderCursor);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const atBottom = useRef(true);

  // Another conversation: start again at its latest message.
  useEffect(() => {
    setOlder([]);
    setCursor(props.olderCursor);
    atBottom.current = true;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.friendId]);

  useEffect(() => {
    if (!fetcher.data) return;
    const page = fetcher.data;
    setOlder((current) => [...page.items, ...current]);
    setCursor(page.olderCursor);
  }, [fetcher.data]);

  const items = useMemo(() => {
    const seen = new Set<string>();
    return [...older, ...props.items].filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
  }, [older, props.items]);

  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    if (anchor.current) {
      // Older items went in above: keep what staff were looking at in place.
      box.scrollTop = box.scrollHeight - anchor.current.height + anchor.current.top;
      anchor.current = null;
    } else if (atBottom.current) {
      box.scrollTop = box.scrollHeight;
    }
  }, [items]);

  const onScroll = useCallback(() => {
    const box = scroller.current;
    if (!box) return;
    atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
    if (box.scrollTop < NEAR_TOP_PX && cursor && fetcher.state === "idle") {
      anchor.current = { height: box.scrollHeight, top: box.scrollTop };
      fetcher.load(`/app/inbox/older?c=${encodeURIComponent(props.friendId)}&before=${encodeURIComponent(cursor)}`);
    }
  }, [cursor, fetcher, props.friendId]);

  const label = (prefix: string, key: string) => {
    const full = `${prefix}.${key}`;
    return isMessageKey(full) ? t(full as MessageKey) : t(`${prefix}.other` as MessageKey);
  };

  return (
    <div ref={scroller} onScroll={onScroll} className="inbox-scroll" data-testid="thread-scroll">
      <BlockStack gap="200">
        {fetcher.state !== "idle" ? (
          <InlineCenter>
            <Spinner size="small" accessibilityLabel={t("inbox.loadingOlder")} />
          </InlineCenter>
        ) : !cursor ? (
          <InlineCenter>
            <Text as="span" tone="subdued" variant="bodySm">
              {t("inbox.start")}
            </Text>
          </InlineCenter>
        ) : null}
        {items.map((item) =>
          item.type === "delivery" ? (
            <div key={item.id} className="inbox-delivery" data-kind={item.kind} data-testid="thread-item">
              <BlockStack gap="100">
                <InlineCenter>
                  <Badge tone="info">{label("inbox.delivery", item.kind)}</Badge>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {time(item.at, props.timeZone)}
                  </Text>
                </InlineCenter>
                {item.lines.map((line, index) => (
                  <Text as="p" key={index} tone="subdued" alignment="center">
                    {line}
                  </Text>
                ))}
              </BlockStack>
            </div>
          ) : (
            <div key={item.id} className={`inbox-bubble-row inbox-${item.direction}`} data-testid="thread-item" data-kind={item.kind}>
              <div className={`inbox-bubble inbox-bubble-${item.direction}${item.status === "failed" ? " inbox-bubble-failed" : ""}`}>
                <MessageBody item={item} label={label} keepDays={props.keepDays} />
                <div className="inbox-meta">
                  {time(item.at, props.timeZone)}
                  {item.direction === "out" && item.sentVia ? ` · ${t(item.sentVia === "reply" ? "friends.chat.via.reply" : "friends.chat.via.push")}` : ""}
                  {item.status === "failed" ? ` · ${t("friends.chat.failed", { error: lineRefusal(item.error) ? describeLineError(item.error).text : item.error ?? "" })}` : ""}
                </div>
                {item.status === "failed" && lineRefusal(item.error) ? <LineErrorOriginal text={item.error} /> : null}
              </div>
            </div>
          ),
        )}
      </BlockStack>
    </div>
  );
}

function MessageBody({ item, label, keepDays }: { item: Extract<ThreadItemView, { type: "message" }>; label: (prefix: string, key: string) => string; keepDays: number }) {
  const t = useT();
  if (item.kind === "sticker" && item.stickerUrl) return <img className="inbox-sticker" src={item.stickerUrl} alt={t("inbox.sticker")} width={120} height={120} />;
  if (item.kind === "image" && item.image) {
    if (item.image.state === "stored" && item.image.url) return <img className="inbox-image" src={item.image.url} alt={t("inbox.image.none")} />;
    const key = `inbox.image.${item.image.state}` as MessageKey;
    return <Text as="p" tone="subdued">{t(key, { days: keepDays })}</Text>;
  }
  if (item.text) return <p className="inbox-text">{item.text}</p>;
  return <Text as="p" tone="subdued">{label("inbox.kind", item.kind)}</Text>;
}

/** A failure LINE answered ("400 …"), as opposed to one of our sending rules. */
const lineRefusal = (error: string | null | undefined): error is string => Boolean(error && /^\d{3}\b/.test(error));

function InlineCenter({ children }: { children: React.ReactNode }) {
  return (
    <Box>
      <div style={{ display: "flex", justifyContent: "center", gap: 8, alignItems: "center" }}>{children}</div>
    </Box>
  );
}

function time(iso: string, timeZone: string) {
  return dateTimeFormat("ja-JP", { timeZone, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}
