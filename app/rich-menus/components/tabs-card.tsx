// A tab group: 2–4 menus of the same account and size, in tab order. A "switch tab" area opens another tab at once
// (LINE's richmenuswitch to that tab's alias).
import { BlockStack, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { SectionCard } from "../../components/section-card";
import { useT } from "../../i18n/i18n";
import { LIMITS } from "../templates";

export function TabsCard(props: {
  menuId: string | null;
  group: { id: string; name: string }[];
  candidates: { id: string; name: string }[];
  busy: boolean;
  error?: string;
  onSave: (menuIds: string[]) => void;
}) {
  const t = useT();
  const initial = props.group.length ? props.group.map((m) => m.id) : props.menuId ? [props.menuId] : [];
  const [ids, setIds] = useState<string[]>(initial);
  const [choice, setChoice] = useState("");
  const names = new Map([...props.group, ...props.candidates].map((m) => [m.id, m.name]));
  const addable = props.candidates.filter((m) => !ids.includes(m.id));
  const move = (from: number, to: number) => {
    const next = [...ids];
    const [id] = next.splice(from, 1);
    next.splice(to, 0, id!);
    setIds(next);
  };
  if (!props.menuId) {
    return (
      <SectionCard title={t("richMenuPages.tabs.heading")}>
        <Text as="p" tone="subdued">
          {t("richMenuPages.tabs.saveFirst")}
        </Text>
      </SectionCard>
    );
  }
  return (
    <SectionCard title={t("richMenuPages.tabs.heading")}>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("richMenuPages.tabs.help")}
      </Text>
      {ids.length < 2 && !props.group.length ? (
        <Text as="p" tone="subdued">
          {t("richMenuPages.tabs.none")}
        </Text>
      ) : null}
      <BlockStack gap="100">
        {ids.map((id, index) => (
          <InlineStack key={id} gap="200" blockAlign="center" align="space-between" wrap={false}>
            <Text as="span" fontWeight={id === props.menuId ? "semibold" : "regular"}>
              {t("richMenuPages.tabs.position", { position: index + 1 })}: {names.get(id) ?? "—"}
            </Text>
            <InlineStack gap="100" wrap={false}>
              <Button size="slim" disabled={index === 0} onClick={() => move(index, index - 1)} accessibilityLabel={t("richMenuPages.rules.up", { number: index + 1 })}>
                ↑
              </Button>
              <Button size="slim" disabled={index === ids.length - 1} onClick={() => move(index, index + 1)} accessibilityLabel={t("richMenuPages.rules.down", { number: index + 1 })}>
                ↓
              </Button>
              {id !== props.menuId ? (
                <Button size="slim" variant="plain" tone="critical" onClick={() => setIds(ids.filter((x) => x !== id))}>
                  {t("richMenuPages.areas.remove")}
                </Button>
              ) : null}
            </InlineStack>
          </InlineStack>
        ))}
      </BlockStack>
      {addable.length && ids.length < LIMITS.tabsMax ? (
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <Select label={t("richMenuPages.tabs.add")} options={[{ label: t("richMenuPages.tabs.chooseMenu"), value: "" }, ...addable.map((m) => ({ label: m.name, value: m.id }))]} value={choice} onChange={setChoice} />
          </div>
          <Button
            disabled={!choice}
            onClick={() => {
              setIds([...ids, choice]);
              setChoice("");
            }}
          >
            {t("richMenuPages.tabs.add")}
          </Button>
        </InlineStack>
      ) : null}
      {props.error ? (
        <Text as="p" tone="critical">
          {props.error}
        </Text>
      ) : null}
      <InlineStack>
        <Button disabled={ids.length < LIMITS.tabsMin} loading={props.busy} onClick={() => props.onSave(ids)}>
          {t("richMenuPages.tabs.save")}
        </Button>
      </InlineStack>
    </SectionCard>
  );
}
