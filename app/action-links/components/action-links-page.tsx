// The action-links page: the list with taps, and the form to create or edit a link (name, target, tags to add and
// remove, the menu to switch to).
import { Badge, Banner, BlockStack, Box, Card, ChoiceList, EmptyState, IndexTable, InlineStack, Layout, Modal, Page, Select, Text, TextField, useBreakpoints } from "@shopify/polaris";
import { useState } from "react";
import { IntentConfirmModal } from "../../components/confirm-modal";
import { CopyUrl } from "../../components/tracking-link-table";
import { Truncated } from "../../components/truncated";
import { useT } from "../../i18n/i18n";
import { EMPTY_IMAGE } from "../../rich-menus/components/menu-list";

export type ActionLinkRow = {
  id: string;
  name: string;
  url: string;
  lineAccountId: string;
  targetUrl: string;
  actions: { addTagIds: string[]; removeTagIds: string[]; richMenuId: string | null };
  clicks: number;
  identified: number;
};

export type LinkForm = { name: string; lineAccountId: string; targetUrl: string; addTagIds: string[]; removeTagIds: string[]; richMenuId: string };

type Props = {
  links: ActionLinkRow[];
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string }[];
  menus: { id: string; name: string; lineAccountId: string }[];
  busy: boolean;
  fieldError: (...fields: string[]) => string | undefined;
  editing: LinkForm & { id: string | null } | null;
  setEditing: (form: (LinkForm & { id: string | null }) | null) => void;
  onSave: (id: string | null, form: LinkForm) => void;
  onArchived: () => void;
  onBack: () => void;
};

export function ActionLinksPage(props: Props) {
  const t = useT();
  const { smDown } = useBreakpoints();
  const [archiving, setArchiving] = useState<ActionLinkRow | null>(null);
  const tagName = new Map(props.tags.map((tag) => [tag.id, tag.name]));
  const menuName = new Map(props.menus.map((menu) => [menu.id, menu.name]));
  const blank = (): LinkForm & { id: null } => ({ id: null, name: "", lineAccountId: props.accounts[0]?.id ?? "", targetUrl: "https://", addTagIds: [], removeTagIds: [], richMenuId: "" });
  const create = { content: t("actionLinks.create"), onAction: () => props.setEditing(blank()), disabled: !props.accounts.length };
  const formError = props.fieldError("form");
  return (
    <Page title={t("actionLinks.title")} subtitle={t("actionLinks.subtitle")} primaryAction={props.links.length ? create : undefined} backAction={{ content: t("richMenuPages.title"), onAction: props.onBack }}>
      <Layout>
        <Layout.Section>
          <Card padding={props.links.length ? "0" : undefined}>
            {props.links.length === 0 ? (
              <EmptyState heading={t("actionLinks.empty.heading")} action={create} image={EMPTY_IMAGE}>
                <p>{t("actionLinks.empty.body")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                condensed={smDown}
                resourceName={{ singular: t("actionLinks.column.name"), plural: t("actionLinks.title") }}
                itemCount={props.links.length}
                selectable={false}
                headings={[{ title: t("actionLinks.column.name") }, { title: t("actionLinks.column.does") }, { title: t("actionLinks.column.clicks"), alignment: "end" }, { title: t("actionLinks.column.identified"), alignment: "end" }, { title: "" }]}
              >
                {props.links.map((link, index) => {
                  const name = (
                    <BlockStack gap="100">
                      <Truncated text={link.name} bold maxWidth={smDown ? "70vw" : "22rem"} />
                      <CopyUrl url={link.url} name={link.name} />
                      <Text as="span" variant="bodySm" tone="subdued">
                        <Truncated text={`→ ${link.targetUrl}`} maxWidth={smDown ? "70vw" : "22rem"} />
                      </Text>
                    </BlockStack>
                  );
                  const does = (
                    <InlineStack gap="100">
                      {link.actions.addTagIds.length ? <Badge tone="success">{t("actionLinks.does.add", { tags: link.actions.addTagIds.map((id) => tagName.get(id) ?? "?").join(", ") })}</Badge> : null}
                      {link.actions.removeTagIds.length ? <Badge tone="warning">{t("actionLinks.does.remove", { tags: link.actions.removeTagIds.map((id) => tagName.get(id) ?? "?").join(", ") })}</Badge> : null}
                      {link.actions.richMenuId ? <Badge tone="info">{t("actionLinks.does.menu", { menu: menuName.get(link.actions.richMenuId) ?? "?" })}</Badge> : null}
                    </InlineStack>
                  );
                  const actions = (
                    <InlineStack gap="200" wrap={false}>
                      <button type="button" className="Polaris-Link" onClick={() => props.setEditing({ id: link.id, name: link.name, lineAccountId: link.lineAccountId, targetUrl: link.targetUrl, addTagIds: link.actions.addTagIds, removeTagIds: link.actions.removeTagIds, richMenuId: link.actions.richMenuId ?? "" })}>
                        {t("actionLinks.edit")}
                      </button>
                      <button type="button" className="Polaris-Link" onClick={() => setArchiving(link)}>
                        {t("actionLinks.archive")}
                      </button>
                    </InlineStack>
                  );
                  return smDown ? (
                    <IndexTable.Row id={link.id} key={link.id} position={index}>
                      <Box padding="300">
                        <BlockStack gap="200">
                          {name}
                          {does}
                          <Text as="p" variant="bodySm" tone="subdued">
                            {`${t("actionLinks.column.clicks")} ${link.clicks.toLocaleString()} · ${t("actionLinks.column.identified")} ${link.identified.toLocaleString()}`}
                          </Text>
                          {actions}
                        </BlockStack>
                      </Box>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={link.id} key={link.id} position={index}>
                      <IndexTable.Cell>{name}</IndexTable.Cell>
                      <IndexTable.Cell>{does}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {link.clicks.toLocaleString()}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {link.identified.toLocaleString()}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{actions}</IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      {props.editing ? (
        <Modal
          open
          title={props.editing.id ? t("actionLinks.form.editTitle") : t("actionLinks.form.createTitle")}
          onClose={() => props.setEditing(null)}
          primaryAction={{ content: t("actionLinks.form.save"), loading: props.busy, onAction: () => props.onSave(props.editing!.id, props.editing!) }}
          secondaryActions={[{ content: t("actionLinks.form.cancel"), onAction: () => props.setEditing(null) }]}
        >
          <Modal.Section>
            <LinkFields form={props.editing} set={(patch) => props.setEditing({ ...props.editing!, ...patch })} accounts={props.accounts} tags={props.tags} menus={props.menus} error={props.fieldError} formError={formError} />
          </Modal.Section>
        </Modal>
      ) : null}
      {archiving ? (
        <IntentConfirmModal
          title={t("actionLinks.archiveModal.title", { name: archiving.name })}
          confirm={t("actionLinks.archive")}
          cancel={t("actionLinks.form.cancel")}
          intent={{ intent: "archive", id: archiving.id }}
          onClose={() => setArchiving(null)}
          onDone={() => {
            setArchiving(null);
            props.onArchived();
          }}
        >
          <Text as="p">{t("actionLinks.archiveModal.body")}</Text>
        </IntentConfirmModal>
      ) : null}
    </Page>
  );
}

function LinkFields(props: {
  form: LinkForm & { id: string | null };
  set: (patch: Partial<LinkForm>) => void;
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string }[];
  menus: { id: string; name: string; lineAccountId: string }[];
  error: (...fields: string[]) => string | undefined;
  formError?: string;
}) {
  const t = useT();
  const { form, set } = props;
  const tagChoices = props.tags.map((tag) => ({ label: tag.name, value: tag.id }));
  const menus = props.menus.filter((menu) => menu.lineAccountId === form.lineAccountId);
  return (
    <BlockStack gap="300">
      {props.formError ? (
        <Banner tone="critical" title={t("actionLinks.error.title")}>
          <p>{props.formError}</p>
        </Banner>
      ) : null}
      <TextField label={t("actionLinks.form.name")} value={form.name} onChange={(name) => set({ name })} autoComplete="off" error={props.error("name")} />
      {props.accounts.length > 1 && !form.id ? (
        <Select label={t("actionLinks.form.account")} options={props.accounts.map((a) => ({ label: a.displayName, value: a.id }))} value={form.lineAccountId} onChange={(lineAccountId) => set({ lineAccountId, richMenuId: "" })} error={props.error("lineAccountId")} />
      ) : null}
      <TextField label={t("actionLinks.form.targetUrl")} value={form.targetUrl} onChange={(targetUrl) => set({ targetUrl })} autoComplete="off" error={props.error("targetUrl")} />
      <InlineStack gap="600" align="start" blockAlign="start">
        <ChoiceList allowMultiple title={t("actionLinks.form.addTags")} choices={tagChoices} selected={form.addTagIds} onChange={(addTagIds) => set({ addTagIds })} error={props.error("addTagIds")} />
        <ChoiceList allowMultiple title={t("actionLinks.form.removeTags")} choices={tagChoices} selected={form.removeTagIds} onChange={(removeTagIds) => set({ removeTagIds })} error={props.error("removeTagIds")} />
      </InlineStack>
      <Select label={t("actionLinks.form.menu")} options={[{ label: t("actionLinks.form.noMenu"), value: "" }, ...menus.map((m) => ({ label: m.name, value: m.id }))]} value={form.richMenuId} onChange={(richMenuId) => set({ richMenuId })} error={props.error("richMenuId")} />
      <Text as="p" variant="bodySm" tone="subdued">
        {t("actionLinks.form.personalHelp")}
      </Text>
    </BlockStack>
  );
}
