// The rich-menu editor: details, layout, image with its checks, the preview with the tap areas drawn over it, each
// area's action, tabs, default, publishing and statistics. The route passes its data and the submit functions.
import { Badge, Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ConfirmModal } from "../../components/confirm-modal";
import { UnsavedChangesBar } from "../../components/save-bar";
import { SectionCard } from "../../components/section-card";
import { LineErrorText } from "../../components/line-error-text";
import { useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import type { Area } from "../model";
import { LIMITS, MENU_SIZES, type MenuSize } from "../templates";
import { AreaEditor } from "./area-editor";
import { ImageField, type ImageInfo, type ImageProblemView } from "./image-field";
import { LayoutPicker } from "./layout-picker";
import { MenuPreview } from "./menu-preview";
import { StatsCard, type StatsView } from "./stats-card";
import { TabsCard } from "./tabs-card";
import { initialState, menuInput, newGridArea, withGrid, withSize, withTemplate, type EditorState } from "./editor-state";

export type EditorData = {
  accounts: { id: string; displayName: string }[];
  accountId: string | null;
  shopDomain: string;
  timeZone: string;
  hasLiff: boolean;
  menu: {
    id: string;
    lineAccountId: string;
    name: string;
    chatBarText: string;
    size: string;
    layout: string;
    areas: Area[];
    isDefault: boolean;
    status: "draft" | "publishing" | "live" | "failed" | "archived";
    hasDraftChanges: boolean;
    failedReason: string | null;
    groupId: string | null;
  } | null;
  image: { url: string | null; info: ImageInfo } | null;
  tags: { id: string; name: string }[];
  menus: { id: string; name: string; size: string; groupId: string | null }[];
  group: { id: string; name: string }[];
  stats: StatsView | null;
};

export type EditorActions = {
  save: (input: ReturnType<typeof menuInput>, image: Blob | null) => void;
  publish: () => void;
  setDefault: (on: boolean) => void;
  archive: () => void;
  saveTabs: (menuIds: string[]) => void;
  back: () => void;
};

export type EditorFeedback = {
  busy: (intent: string) => boolean;
  fieldError: (...fields: string[]) => string | undefined;
  imageProblems: ImageProblemView[];
  /** Counts successful saves: the editor then takes what it sent as saved. */
  savedCount: number;
  /** The last save was refused for some field. */
  hasErrors: boolean;
};

const STATUS_TONE = { draft: undefined, publishing: "attention", live: "success", failed: "critical", archived: undefined } as const;

export function MenuEditor({ data, actions, feedback }: { data: EditorData; actions: EditorActions; feedback: EditorFeedback }) {
  const t = useT();
  const [state, setState] = useState<EditorState>(() => initialState(data.menu, data.accountId ?? data.accounts[0]?.id ?? ""));
  // What is stored, to compare with and to go back to (Discard).
  const [storedState, setStoredState] = useState(state);
  const savedState = JSON.stringify(menuInput(storedState));
  const storedImage = data.image ? { blob: null, url: data.image.url, info: data.image.info } : null;
  const [image, setImage] = useState<{ blob: Blob | null; url: string | null; info: ImageInfo } | null>(storedImage);
  const [imageAfterSave, setImageAfterSave] = useState(storedImage);
  const [selected, setSelected] = useState(0);
  const [archiving, setArchiving] = useState(false);
  const dirty = JSON.stringify(menuInput(state)) !== savedState || Boolean(image?.blob);
  const set = (patch: Partial<EditorState>) => setState((current) => ({ ...current, ...patch }));
  const setArea = (index: number, area: Area) => setState((current) => ({ ...current, areas: current.areas.map((a, i) => (i === index ? area : a)) }));
  const names = { tags: data.tags, menus: data.menus };
  const tabs = data.group.filter((m) => m.id !== data.menu?.id);
  const grid = state.layout === "grid";
  const menu = data.menu;
  const [sent, setSent] = useState<{ state: EditorState; blob: Blob | null } | null>(null);
  useEffect(() => {
    if (!sent || !feedback.savedCount) return;
    setStoredState(sent.state);
    if (image && image.blob === sent.blob) {
      const stored = { ...image, blob: null };
      setImage(stored);
      setImageAfterSave(stored);
    }
    setSent(null);
    // Only a new successful save matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [feedback.savedCount]);
  const save = () => {
    setSent({ state, blob: image?.blob ?? null });
    actions.save(menuInput(state), image?.blob ?? null);
  };
  const discard = () => {
    setState(storedState);
    setImage(imageAfterSave);
  };
  const chatBarLength = [...state.chatBarText].length;
  return (
    <Page
      title={menu ? menu.name : t("richMenuPages.editor.newTitle")}
      titleMetadata={
        menu ? (
          <span style={{ display: "inline-flex", gap: 4 }}>
            <Badge tone={STATUS_TONE[menu.status]}>{t(`richMenuPages.status.${menu.status}` as MessageKey)}</Badge>
            {menu.isDefault ? <Badge tone="info">{t("richMenuPages.badge.default")}</Badge> : null}
          </span>
        ) : undefined
      }
      backAction={{ content: t("richMenuPages.title"), onAction: actions.back }}
      primaryAction={{ content: t("richMenuPages.editor.save"), onAction: save, loading: feedback.busy("save"), disabled: Boolean(menu) && !dirty }}
      secondaryActions={[
        ...(menu && menu.status !== "archived"
          ? [{ content: t("richMenuPages.editor.publish"), onAction: actions.publish, loading: feedback.busy("publish"), disabled: dirty || !image }]
          : []),
        ...(menu && menu.status !== "archived" ? [{ content: t("richMenuPages.editor.archive"), destructive: true, onAction: () => setArchiving(true) }] : []),
      ]}
    >
      <UnsavedChangesBar id="rich-menu-save-bar" dirty={dirty} saving={feedback.busy("save")} onSave={save} onDiscard={discard} />
      <Layout>
        {feedback.hasErrors ? (
          <Layout.Section>
            <Banner tone="critical" title={t("richMenuPages.editor.errorTitle")}>
              <p>{feedback.fieldError("form", "lineAccountId", "layout", "areas", "image") ?? t("richMenuPages.editor.checkFields")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {menu?.failedReason ? (
          <Layout.Section>
            <Banner tone="warning">
              {/^\d{3}\b/.test(menu.failedReason) ? (
                <LineErrorText error={menu.failedReason} sentence={(reason) => t("richMenuPages.editor.failed", { reason })} />
              ) : (
                t("richMenuPages.editor.failed", { reason: menu.failedReason })
              )}
            </Banner>
          </Layout.Section>
        ) : null}
        {menu && dirty ? (
          <Layout.Section>
            <Banner tone="info">{t("richMenuPages.editor.publishFirstSave")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("richMenuPages.preview.heading")}
                </Text>
                <MenuPreview imageUrl={image?.url ?? null} size={state.size} areas={state.areas} names={names} chatBarText={state.chatBarText} selected={selected} onSelect={setSelected} />
              </BlockStack>
            </Card>
            <SectionCard title={t("richMenuPages.editor.details")}>
              {!menu && data.accounts.length > 1 ? (
                <Select label={t("richMenuPages.account")} options={data.accounts.map((a) => ({ label: a.displayName, value: a.id }))} value={state.lineAccountId} onChange={(lineAccountId) => set({ lineAccountId })} />
              ) : null}
              <TextField label={t("richMenuPages.editor.name")} value={state.name} onChange={(name) => set({ name })} autoComplete="off" maxLength={LIMITS.name} error={feedback.fieldError("name")} />
              <TextField
                label={t("richMenuPages.editor.chatBarText")}
                value={state.chatBarText}
                onChange={(chatBarText) => set({ chatBarText })}
                autoComplete="off"
                helpText={`${t("richMenuPages.editor.chatBarHelp")} (${chatBarLength}/${LIMITS.chatBarText})`}
                error={chatBarLength > LIMITS.chatBarText ? t("richMenus.error.chatBarText" as MessageKey) : feedback.fieldError("chatBarText")}
              />
              <Select
                label={t("richMenuPages.editor.size")}
                options={MENU_SIZES.map((size) => ({ label: t(`richMenuPages.size.${size}` as MessageKey), value: size }))}
                value={state.size}
                onChange={(size) => setState((current) => withSize(current, size as MenuSize))}
              />
              <LayoutPicker
                size={state.size}
                layout={state.layout}
                grid={state.grid}
                onTemplate={(layout) => setState((current) => withTemplate(current, layout))}
                onGrid={(g) => setState((current) => withGrid(current, g))}
                error={feedback.fieldError("layout", "areas")}
              />
            </SectionCard>
            <SectionCard title={t("richMenuPages.image.heading")}>
              <ImageField size={state.size} current={image?.info ?? null} onImage={(next) => setImage(next)} error={feedback.imageProblems} />
            </SectionCard>
            <SectionCard title={t("richMenuPages.areas.heading")}>
              {state.areas.map((area, index) => (
                <div key={index} data-area-editor={index + 1} onFocus={() => setSelected(index)} style={{ borderTop: index ? "1px solid #e3e3e3" : undefined, paddingTop: index ? 12 : 0 }}>
                  <AreaEditor
                    index={index}
                    area={area}
                    onChange={(next) => setArea(index, next)}
                    onRemove={grid && state.areas.length > 1 ? () => setState((current) => ({ ...current, areas: current.areas.filter((_, i) => i !== index) })) : undefined}
                    context={{ tags: data.tags, tabs, hasLiff: data.hasLiff, shopDomain: data.shopDomain, grid }}
                    error={feedback.fieldError}
                  />
                </div>
              ))}
              {grid && state.areas.length < LIMITS.areas ? (
                <div>
                  <Button onClick={() => setState((current) => ({ ...current, areas: [...current.areas, newGridArea(current.size)] }))}>{t("richMenuPages.areas.add")}</Button>
                </div>
              ) : null}
            </SectionCard>
            {data.stats && menu ? <StatsCard stats={data.stats} areas={menu.areas} names={names} /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {menu && menu.status !== "archived" ? (
              <SectionCard title={t("richMenuPages.badge.default")}>
                <Checkbox label={t("richMenuPages.editor.default")} helpText={t("richMenuPages.editor.defaultHelp")} checked={menu.isDefault} disabled={feedback.busy("default")} onChange={actions.setDefault} />
              </SectionCard>
            ) : null}
            <TabsCard
              menuId={menu?.id ?? null}
              group={data.group}
              candidates={data.menus.filter((m) => m.id !== menu?.id && m.size === state.size && (!m.groupId || m.groupId === menu?.groupId))}
              busy={feedback.busy("tabs")}
              error={feedback.fieldError("menuIds")}
              onSave={actions.saveTabs}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ConfirmModal
        open={archiving}
        title={t("richMenuPages.archiveModal.title", { name: menu?.name ?? "" })}
        confirm={t("richMenuPages.editor.archive")}
        cancel={t("actionLinks.form.cancel")}
        loading={feedback.busy("archive")}
        error={feedback.fieldError("form")}
        onConfirm={actions.archive}
        onClose={() => setArchiving(false)}
      >
        <Text as="p">{t("richMenuPages.archiveModal.body")}</Text>
      </ConfirmModal>
    </Page>
  );
}
