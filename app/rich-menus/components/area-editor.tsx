// One area's action: open a page (a URL, or a product/collection picked in Shopify; counted through /r/ with UTM
// parameters), send a message, add/remove a tag, switch tab, open the LIFF app. In a free grid, its coordinates.
import { BlockStack, Button, Checkbox, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useT } from "../../i18n/i18n";
import { fetchProducts, pickerAvailable } from "../../messages/composer-api";
import type { Area, AreaAction, Bounds } from "../model";

type Kind = "uri" | "message" | "tagAdd" | "tagRemove" | "tab" | "liff";

const kindOf = (action: AreaAction): Kind => (action.type === "tag" ? (action.op === "add" ? "tagAdd" : "tagRemove") : action.type);

function blank(kind: Kind, previous: AreaAction): AreaAction {
  const label = previous.label;
  switch (kind) {
    case "uri":
      return { type: "uri", target: "url", url: "", track: true, label };
    case "message":
      return { type: "message", text: "", label };
    case "tagAdd":
    case "tagRemove":
      return { type: "tag", op: kind === "tagAdd" ? "add" : "remove", tagId: previous.type === "tag" ? previous.tagId : "", label };
    case "tab":
      return { type: "tab", richMenuId: "", label };
    case "liff":
      return { type: "liff", path: "", label };
  }
}

type Picker = (options: { type: "product" | "collection"; action?: "select"; multiple?: boolean }) => Promise<{ id: string; handle?: string; title?: string }[] | undefined>;

async function pick(type: "product" | "collection") {
  const picker = (globalThis as { shopify?: { resourcePicker?: Picker } }).shopify?.resourcePicker;
  if (!picker) return null;
  const [item] = (await picker({ type, action: "select", multiple: false })) ?? [];
  return item ?? null;
}

export type AreaEditorContext = {
  tags: { id: string; name: string }[];
  tabs: { id: string; name: string }[];
  hasLiff: boolean;
  shopDomain: string;
  grid: boolean;
};

export function AreaEditor(props: { index: number; area: Area; onChange: (area: Area) => void; onRemove?: () => void; context: AreaEditorContext; error: (...fields: string[]) => string | undefined }) {
  const t = useT();
  const { area, context, index } = props;
  const action = area.action;
  const [picker, setPicker] = useState(false);
  useEffect(() => setPicker(pickerAvailable()), []);
  const at = `areas.${index}`;
  const setAction = (patch: Partial<AreaAction>) => props.onChange({ ...area, action: { ...action, ...patch } as AreaAction });
  const setBounds = (field: keyof Bounds, value: string) => props.onChange({ ...area, bounds: { ...area.bounds, [field]: Math.max(0, Math.floor(Number(value) || 0)) } });
  const choosePage = async (type: "product" | "collection") => {
    const item = await pick(type);
    if (!item || action.type !== "uri") return;
    if (type === "product") {
      // The product's storefront URL comes from the Admin API, never from the browser.
      const answer = await fetchProducts([item.id]);
      if (answer.ok && answer.products[0]) setAction({ target: "product", url: answer.products[0].url, resourceId: item.id, title: answer.products[0].title });
    } else if (item.handle) {
      setAction({ target: "collection", url: `https://${context.shopDomain}/collections/${item.handle}`, resourceId: item.id, title: item.title });
    }
  };
  const kinds: { label: string; value: Kind }[] = [
    { label: t("richMenuPages.action.uri"), value: "uri" },
    { label: t("richMenuPages.action.message"), value: "message" },
    { label: t("richMenuPages.action.tagAdd"), value: "tagAdd" },
    { label: t("richMenuPages.action.tagRemove"), value: "tagRemove" },
    { label: t("richMenuPages.action.tab"), value: "tab" },
    ...(context.hasLiff || action.type === "liff" ? [{ label: t("richMenuPages.action.liff"), value: "liff" as const }] : []),
  ];
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t("richMenuPages.areas.area", { number: index + 1 })}
        </Text>
        {props.onRemove ? (
          <Button variant="plain" tone="critical" onClick={props.onRemove}>
            {t("richMenuPages.areas.remove")}
          </Button>
        ) : null}
      </InlineStack>
      {context.grid ? (
        <InlineGrid columns={{ xs: 2, sm: 4 }} gap="200">
          {(["x", "y", "width", "height"] as const).map((field) => (
            <TextField key={field} label={t(`richMenuPages.areas.${field}`)} type="number" min={0} value={String(area.bounds[field])} onChange={(v) => setBounds(field, v)} autoComplete="off" />
          ))}
        </InlineGrid>
      ) : null}
      {props.error(`${at}.bounds`) ? (
        <Text as="p" tone="critical">
          {props.error(`${at}.bounds`)}
        </Text>
      ) : null}
      <Select label={t("richMenuPages.action.type")} options={kinds} value={kindOf(action)} onChange={(kind) => props.onChange({ ...area, action: blank(kind as Kind, action) })} />
      {action.type === "uri" ? (
        <>
          <TextField
            label={t("richMenuPages.action.url")}
            value={action.url}
            onChange={(url) => setAction({ url, target: "url", resourceId: undefined, title: undefined })}
            autoComplete="off"
            placeholder="https://"
            helpText={action.title ? t("richMenuPages.action.picked", { title: action.title }) : t("richMenuPages.action.urlHelp")}
            error={props.error(`${at}.action.url`)}
          />
          <InlineStack gap="200">
            <Button size="slim" disabled={!picker} onClick={() => void choosePage("product")}>
              {t("richMenuPages.action.pickProduct")}
            </Button>
            <Button size="slim" disabled={!picker} onClick={() => void choosePage("collection")}>
              {t("richMenuPages.action.pickCollection")}
            </Button>
          </InlineStack>
          {!picker ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {t("richMenuPages.action.pickerUnavailable")}
            </Text>
          ) : null}
          <Checkbox label={t("richMenuPages.action.track")} checked={action.track !== false} onChange={(track) => setAction({ track })} />
          {action.track !== false ? (
            <TextField label={t("richMenuPages.action.utm")} value={action.utm ?? ""} onChange={(utm) => setAction({ utm })} autoComplete="off" placeholder="utm_source=line&utm_medium=rich_menu" error={props.error(`${at}.action.utm`)} />
          ) : null}
        </>
      ) : null}
      {action.type === "message" ? (
        <TextField label={t("richMenuPages.action.text")} value={action.text} onChange={(text) => setAction({ text })} autoComplete="off" maxLength={300} error={props.error(`${at}.action.text`)} />
      ) : null}
      {action.type === "tag" ? (
        <Select
          label={t("richMenuPages.action.tag")}
          options={[{ label: t("richMenuPages.action.chooseTag"), value: "" }, ...context.tags.map((tag) => ({ label: tag.name, value: tag.id }))]}
          value={action.tagId}
          onChange={(tagId) => setAction({ tagId })}
          error={props.error(`${at}.action.tagId`)}
        />
      ) : null}
      {action.type === "tab" ? (
        context.tabs.length ? (
          <Select
            label={t("richMenuPages.action.tabMenu")}
            options={[{ label: t("richMenuPages.action.chooseTab"), value: "" }, ...context.tabs.map((menu) => ({ label: menu.name, value: menu.id }))]}
            value={action.richMenuId}
            onChange={(richMenuId) => setAction({ richMenuId })}
            error={props.error(`${at}.action.richMenuId`)}
          />
        ) : (
          <Text as="p" tone={props.error(`${at}.action.richMenuId`) ? "critical" : "subdued"}>
            {t("richMenuPages.action.noTabs")}
          </Text>
        )
      ) : null}
      {action.type === "liff" ? (
        <TextField label={t("richMenuPages.action.liffPath")} value={action.path ?? ""} onChange={(path) => setAction({ path })} autoComplete="off" placeholder="/" error={props.error(`${at}.action.path`)} />
      ) : null}
    </BlockStack>
  );
}
