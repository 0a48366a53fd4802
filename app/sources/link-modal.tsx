// Creating or editing a tracking link: name, account, landing page, tags, and the conversion postback with a live
// preview the server expands for a sample friend.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Divider, FormLayout, InlineStack, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { CopyUrl } from "../components/tracking-link-table";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { TrackingLinkAction } from "./tracking-actions.server";
import type { TrackingLinkRow, TrackingPageData } from "./tracking-types";

/** The template expanded by the server for a sample friend, a moment after the merchant stops typing. */
function usePostbackPreview(template: string, landingPageUrl: string, code: string) {
  const fetcher = useFetcher<TrackingLinkAction>();
  const { submit } = fetcher;
  useEffect(() => {
    if (!template.trim()) return;
    const timer = setTimeout(
      () => submit({ intent: "preview", postbackUrl: template, landingPageUrl, code }, { method: "post" }),
      300,
    );
    return () => clearTimeout(timer);
  }, [template, landingPageUrl, code, submit]);
  if (!template.trim()) return null;
  return fetcher.data && "preview" in fetcher.data ? fetcher.data.preview : null;
}

const splitTags = (value: string) =>
  value
    .split(/[,、，]/)
    .map((tag) => tag.trim())
    .filter(Boolean);

/** Creates or edits a link; onDone gets the notice to show. */
export function LinkModal(props: {
  link: TrackingLinkRow | null;
  data: TrackingPageData;
  onClose: () => void;
  onDone: (notice: string) => void;
}) {
  const t = useT();
  const { link, data } = props;
  const { fetcher, errors, fieldError, busy } = useRouteAction<TrackingLinkAction>(({ name }) =>
    props.onDone(t(link ? "trackingLinks.saved" : "trackingLinks.created", { name })),
  );
  const [name, setName] = useState(link?.name ?? "");
  const [lineAccountId, setLineAccountId] = useState(link?.lineAccountId ?? data.accounts[0]?.id ?? "");
  const [landingPageUrl, setLandingPageUrl] = useState(link?.landingPageUrl ?? "");
  const [tags, setTags] = useState(link?.tagNames.join(", ") ?? "");
  const [postbackUrl, setPostbackUrl] = useState(link?.postbackUrl ?? "");
  const [postbackMethod, setPostbackMethod] = useState<string>(link?.postbackMethod ?? "GET");
  const preview = usePostbackPreview(postbackUrl, landingPageUrl, link?.code ?? "");
  const tagError = fieldError("tagNames", ...Object.keys(errors).filter((field) => field.startsWith("tagNames.")));
  // A link may stay on an account disconnected since; it is listed so the form shows the truth.
  const accountOptions = data.accounts.map((account) => ({ label: account.displayName, value: account.id }));
  if (link && !accountOptions.some((option) => option.value === link.lineAccountId)) {
    accountOptions.push({ label: `${link.accountName} (${t("trackingLinks.accountDisconnected")})`, value: link.lineAccountId });
  }

  const save = () => {
    const form = new FormData();
    form.set("intent", link ? "update" : "create");
    form.set("id", link?.id ?? "");
    form.set("name", name);
    form.set("lineAccountId", lineAccountId);
    form.set("landingPageUrl", landingPageUrl);
    for (const tag of splitTags(tags)) form.append("tagNames", tag);
    form.set("postbackUrl", postbackUrl);
    form.set("postbackMethod", postbackMethod);
    fetcher.submit(form, { method: "post" });
  };

  return (
    <Modal
      open
      size="large"
      onClose={props.onClose}
      title={link ? t("trackingLinks.form.editTitle") : t("trackingLinks.form.createTitle")}
      primaryAction={{ content: t("trackingLinks.form.save"), onAction: save, loading: busy }}
      secondaryActions={[{ content: t("trackingLinks.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <BlockStack gap="400">
            {errors.form && <Banner tone="critical">{fieldError("form")}</Banner>}
            {link && (
              <BlockStack gap="100">
                <Text as="span" fontWeight="medium">
                  {t("trackingLinks.form.url")}
                </Text>
                <CopyUrl url={link.url} name={link.name} full />
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("trackingLinks.form.urlHelp")}
                </Text>
              </BlockStack>
            )}
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label={t("trackingLinks.form.name")}
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  maxLength={data.limits.name}
                  showCharacterCount
                  helpText={t("trackingLinks.form.nameHelp")}
                  error={fieldError("name")}
                />
                <Select
                  label={t("trackingLinks.form.account")}
                  options={accountOptions}
                  value={lineAccountId}
                  onChange={setLineAccountId}
                  helpText={t("trackingLinks.form.accountHelp")}
                  error={fieldError("lineAccountId")}
                />
              </FormLayout.Group>
              <TextField
                label={t("trackingLinks.form.landingPageUrl")}
                value={landingPageUrl}
                onChange={setLandingPageUrl}
                autoComplete="off"
                type="url"
                placeholder="https://shop.example.com/pages/spring-sale"
                helpText={t("trackingLinks.form.landingPageUrlHelp")}
                error={fieldError("landingPageUrl")}
              />
              <BlockStack gap="200">
                <TextField
                  label={t("trackingLinks.form.tags")}
                  value={tags}
                  onChange={setTags}
                  autoComplete="off"
                  placeholder="Instagram, 春セール"
                  helpText={t("trackingLinks.form.tagsHelp")}
                  error={tagError}
                />
                {splitTags(tags).length > 0 && (
                  <InlineStack gap="100">
                    {splitTags(tags).map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </InlineStack>
                )}
              </BlockStack>
            </FormLayout>
            <Divider />
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {t("trackingLinks.form.postbackHeading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("trackingLinks.form.postbackIntro")}
              </Text>
              <InlineStack gap="300" wrap={false} blockAlign="start">
                <Box width="100%">
                  <TextField
                    label={t("trackingLinks.form.postbackUrl")}
                    value={postbackUrl}
                    onChange={setPostbackUrl}
                    autoComplete="off"
                    monospaced
                    maxLength={data.limits.url}
                    placeholder="https://ad.example.com/cv?cid={click_id}&t={now}"
                    helpText={t("trackingLinks.form.postbackUrlHelp")}
                    error={fieldError("postbackUrl") ?? (preview?.error ? t(preview.error as MessageKey) : undefined)}
                  />
                </Box>
                <Box minWidth="110px">
                  <Select
                    label={t("trackingLinks.form.postbackMethod")}
                    options={data.methods.map((method) => ({ label: method, value: method }))}
                    value={postbackMethod}
                    onChange={setPostbackMethod}
                    error={fieldError("postbackMethod")}
                  />
                </Box>
              </InlineStack>
              <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                <BlockStack gap="100">
                  <Text as="span" variant="bodySm" fontWeight="semibold">
                    {t("trackingLinks.form.preview")}
                  </Text>
                  <div data-testid="postback-preview">
                    {preview?.url ? (
                      <code style={{ fontSize: "12px", wordBreak: "break-all" }}>
                        {postbackMethod} {preview.url}
                      </code>
                    ) : (
                      <Text as="span" variant="bodySm" tone="subdued">
                        {t("trackingLinks.form.previewEmpty")}
                      </Text>
                    )}
                  </div>
                </BlockStack>
              </Box>
              <BlockStack gap="100">
                <Text as="span" variant="bodySm" fontWeight="semibold">
                  {t("trackingLinks.form.variables")}
                </Text>
                <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 12px" }}>
                  {data.variables.map((variable) => (
                    <VariableHelp key={variable} name={`{${variable}}`} text={t(`trackingLinks.form.var.${variable}`)} />
                  ))}
                  <VariableHelp name="{…}" text={t("trackingLinks.form.var.param")} />
                </dl>
              </BlockStack>
            </BlockStack>
          </BlockStack>
        </form>
      </Modal.Section>
    </Modal>
  );
}

function VariableHelp(props: { name: string; text: string }) {
  return (
    <>
      <dt>
        <code style={{ fontSize: "12px" }}>{props.name}</code>
      </dt>
      <dd style={{ margin: 0 }}>
        <Text as="span" variant="bodySm" tone="subdued">
          {props.text}
        </Text>
      </dd>
    </>
  );
}
