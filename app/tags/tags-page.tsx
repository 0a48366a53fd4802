// The tags page: the shop's tags with their friend counts, created and edited in a modal, deleted after a question.
// Saved and deleted say so in a toast; errors stay in the modal as critical banners.
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  ChoiceList,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";
import { useState } from "react";
import { IntentConfirmModal } from "../components/confirm-modal";
import { useToast } from "../components/toast";
import { TagMirrorToggle } from "../customers/tag-mirror-toggle";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { listTags, TagColor, TagErrors } from "./tags.server";

export type TagRow = Awaited<ReturnType<typeof listTags>>[number];
/** What the tags route's action answers. */
export type TagAnswer = { ok: true; tag: { id: string; name: string } } | { ok: false; errors: TagErrors };
type Action = () => Promise<TagAnswer>;
type Editing = { mode: "create" } | { mode: "edit"; tag: TagRow } | { mode: "delete"; tag: TagRow };

// A tag outline, inline so the page needs nothing from outside.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M34 40v22l30 30 28-28-30-30H40a6 6 0 0 0-6 6z" fill="#fff" stroke="#06c755" stroke-width="5" stroke-linejoin="round"/><circle cx="50" cy="50" r="6" fill="#06c755"/></svg>',
)}`;

export function TagsPage(props: { tags: TagRow[]; colors: readonly TagColor[]; nameMax: number }) {
  const { tags, colors, nameMax } = props;
  const t = useT();
  const toast = useToast();
  const { smDown } = useBreakpoints();
  const [editing, setEditing] = useState<Editing | null>(null);
  const close = () => setEditing(null);
  const done = (message: string) => {
    setEditing(null);
    toast(message);
  };
  const create = () => setEditing({ mode: "create" });

  return (
    <Page title={t("tags.title")} primaryAction={tags.length ? { content: t("tags.create"), onAction: create } : undefined}>
      <Layout>
        <Layout.Section>
          <Card padding={tags.length ? "0" : undefined}>
            {tags.length === 0 ? (
              <EmptyState heading={t("tags.empty.heading")} action={{ content: t("tags.create"), onAction: create }} image={EMPTY_IMAGE}>
                <p>{t("tags.empty.body")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                condensed={smDown}
                resourceName={{ singular: t("tags.column.name"), plural: t("tags.title") }}
                itemCount={tags.length}
                selectable={false}
                headings={[
                  { title: t("tags.column.name") },
                  { title: t("tags.column.friends"), alignment: "end" },
                  { title: t("tags.column.shopify") },
                  { title: t("tags.column.actions"), alignment: "end" },
                ]}
              >
                {tags.map((tag, index) => {
                  const actions = (
                    <ButtonGroup>
                      <Button size="slim" onClick={() => setEditing({ mode: "edit", tag })}>
                        {t("tags.edit")}
                      </Button>
                      <Button size="slim" tone="critical" variant="plain" onClick={() => setEditing({ mode: "delete", tag })}>
                        {t("tags.delete")}
                      </Button>
                    </ButtonGroup>
                  );
                  const count = t("tags.friendCount", { count: tag.friendCount });
                  return smDown ? (
                    <IndexTable.Row id={tag.id} key={tag.id} position={index}>
                      <Box padding="300">
                        <BlockStack gap="200">
                          <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
                            <TagBadge color={tag.color} name={tag.name} />
                            <Text as="span" numeric tone="subdued">
                              {count}
                            </Text>
                          </InlineStack>
                          <InlineStack gap="200" blockAlign="center" wrap={false}>
                            <TagMirrorToggle id={tag.id} mirror={tag.mirrorToShopify} />
                            <Text as="span" tone="subdued">
                              {t("tags.column.shopify")}
                            </Text>
                          </InlineStack>
                          {actions}
                        </BlockStack>
                      </Box>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={tag.id} key={tag.id} position={index}>
                      <IndexTable.Cell>
                        <TagBadge color={tag.color} name={tag.name} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {count}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <TagMirrorToggle id={tag.id} mirror={tag.mirrorToShopify} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack align="end">{actions}</InlineStack>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            )}
          </Card>
          {tags.length > 0 && (
            <Box paddingBlockStart="200" paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="p" tone="subdued">
                {t("tags.mirror.help")}
              </Text>
            </Box>
          )}
        </Layout.Section>
      </Layout>
      {(editing?.mode === "create" || editing?.mode === "edit") && (
        <TagFormModal
          key={editing.mode === "edit" ? editing.tag.id : "new"}
          colors={colors}
          nameMax={nameMax}
          tag={editing.mode === "edit" ? editing.tag : null}
          onClose={close}
          onDone={(name) => done(t("tags.saved", { name }))}
        />
      )}
      {editing?.mode === "delete" && (
        <IntentConfirmModal<Action>
          title={t("tags.deleteModal.title", { name: editing.tag.name })}
          confirm={t("tags.deleteModal.confirm")}
          cancel={t("tags.form.cancel")}
          intent={{ intent: "delete", id: editing.tag.id }}
          onClose={close}
          onDone={(answer) => done(t("tags.deleted", { name: answer.tag.name }))}
        >
          <Text as="p" fontWeight="semibold">
            {deleteConsequence(t, editing.tag.friendCount)}
          </Text>
          <Text as="p" tone="subdued">
            {t("tags.deleteModal.irreversible")}
          </Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}

function TagFormModal(props: { tag: TagRow | null; colors: readonly TagColor[]; nameMax: number; onClose: () => void; onDone: (name: string) => void }) {
  const t = useT();
  const { fetcher, clearError, fieldError, busy } = useRouteAction<Action>((answer) => props.onDone(answer.tag.name));
  const [name, setName] = useState(props.tag?.name ?? "");
  const [color, setColor] = useState<string>(props.tag?.color ?? "info");
  const edit =
    <T,>(field: string, set: (value: T) => void) =>
    (value: T) => {
      clearError(field);
      set(value);
    };
  const submit = () => fetcher.submit({ intent: props.tag ? "update" : "create", id: props.tag?.id ?? "", name, color }, { method: "post" });

  return (
    <Modal
      open
      onClose={props.onClose}
      title={props.tag ? t("tags.form.editTitle") : t("tags.form.createTitle")}
      primaryAction={{ content: t("tags.form.save"), onAction: submit, loading: busy }}
      secondaryActions={[{ content: t("tags.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {fieldError("form") && <Banner tone="critical">{fieldError("form")}</Banner>}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <FormLayout>
              <TextField
                label={t("tags.form.name")}
                value={name}
                onChange={edit("name", setName)}
                autoComplete="off"
                maxLength={props.nameMax}
                showCharacterCount
                helpText={t("tags.form.nameHelp")}
                error={fieldError("name")}
              />
              <ChoiceList
                title={t("tags.form.color")}
                selected={[color]}
                onChange={edit("color", ([value]: string[]) => setColor(value))}
                error={fieldError("color")}
                choices={props.colors.map((tone) => ({ value: tone, label: <Badge tone={tone}>{t(`tags.color.${tone}`)}</Badge> }))}
              />
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued">
                  {t("tags.form.preview")}
                </Text>
                <TagBadge color={color} name={name.trim() || t("tags.form.name")} />
              </InlineStack>
            </FormLayout>
          </form>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

function deleteConsequence(t: ReturnType<typeof useT>, count: number) {
  if (count === 0) return t("tags.deleteModal.friendsNone");
  if (count === 1) return t("tags.deleteModal.friendsOne");
  return t("tags.deleteModal.friendsMany", { count });
}

/** A tag in its colour, one line with the whole name on hover. Screen readers hear the colour's name, not the tone's meaning. */
export function TagBadge(props: { color: string; name: string }) {
  const t = useT();
  const tone = props.color as TagColor;
  return (
    <span title={props.name} translate="no" style={{ display: "inline-flex", maxWidth: "min(24rem, 55vw)", minWidth: 0 }}>
      <Badge tone={tone} toneAndProgressLabelOverride={t(`tags.color.${tone}`)}>
        {(<span style={{ display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{props.name}</span>) as unknown as string}
      </Badge>
    </span>
  );
}
