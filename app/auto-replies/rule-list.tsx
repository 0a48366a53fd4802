// The auto-replies list: the rules in the order they are tried (or an empty state with the first step), the
// "try it" box, and the delete question. Saved, deleted and switched rules are confirmed by a toast.
import { Banner, Box, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { useRef, useState, type ReactNode } from "react";
import { RuleTable, TryIt } from "../components/auto-reply-rules";
import { IntentConfirmModal } from "../components/confirm-modal";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { rulesUrl, type AutoReplyRule, type RuleAnswer } from "./rule";

const NO_RULES_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="18" y="30" width="54" height="30" rx="12" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><rect x="48" y="66" width="54" height="30" rx="12" fill="#06c755"/><path d="M60 81h30M60 74h20" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>',
)}`;

export function RuleList(props: { accountId: string; rules: AutoReplyRule[]; sender: string; accountPicker: ReactNode }) {
  const t = useT();
  const toast = useToast();
  const { accountId, rules } = props;
  const [deleting, setDeleting] = useState<AutoReplyRule | null>(null);
  // Which rule the last toggle switched, to say so when the answer comes.
  const toggled = useRef<{ name: string; enabled: boolean } | null>(null);
  const rowAction = useRouteAction<() => RuleAnswer>(() => {
    if (toggled.current) toast(t(toggled.current.enabled ? "autoReplies.toggled.on" : "autoReplies.toggled.off", { name: toggled.current.name }));
    toggled.current = null;
  });
  const addUrl = rulesUrl(accountId, "new");
  const move = (index: number, by: -1 | 1) => {
    const ids = rules.map((rule) => rule.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    const form = new FormData();
    form.set("intent", "reorder");
    form.set("lineAccountId", accountId);
    for (const id of ids) form.append("ids", id);
    toggled.current = null;
    rowAction.fetcher.submit(form, { method: "post" });
  };
  const toggle = (rule: AutoReplyRule) => {
    toggled.current = { name: rule.name, enabled: !rule.enabled };
    rowAction.fetcher.submit({ intent: "toggle", id: rule.id, enabled: String(!rule.enabled) }, { method: "post" });
  };

  return (
    <Page title={t("autoReplies.title")} primaryAction={rules.length ? { content: t("autoReplies.add"), url: addUrl } : undefined}>
      <Layout>
        {rowAction.errors.form && (
          <Layout.Section>
            <Banner tone="critical">{rowAction.fieldError("form")}</Banner>
          </Layout.Section>
        )}
        {props.accountPicker && <Layout.Section>{props.accountPicker}</Layout.Section>}
        <Layout.Section>
          {rules.length === 0 ? (
            <Card>
              <EmptyState heading={t("autoReplies.empty.heading")} action={{ content: t("autoReplies.empty.action"), url: addUrl }} image={NO_RULES_IMAGE}>
                <p>{t("autoReplies.empty.body")}</p>
              </EmptyState>
            </Card>
          ) : (
            <Card padding="0">
              <Box padding="400">
                <Text as="p" tone="subdued">
                  {t("autoReplies.order")}
                </Text>
              </Box>
              <RuleTable
                rules={rules}
                busy={rowAction.busy}
                onMove={move}
                onToggle={toggle}
                editUrl={(rule) => rulesUrl(accountId, rule.id)}
                onDelete={setDeleting}
              />
            </Card>
          )}
        </Layout.Section>
        {rules.length > 0 && (
          <Layout.Section>
            <TryIt rules={rules} sender={props.sender} />
          </Layout.Section>
        )}
      </Layout>
      {deleting && (
        <IntentConfirmModal<() => RuleAnswer>
          title={t("autoReplies.deleteModal.title", { name: deleting.name })}
          confirm={t("autoReplies.deleteModal.confirm")}
          cancel={t("autoReplies.form.cancel")}
          intent={{ intent: "delete", id: deleting.id }}
          onClose={() => setDeleting(null)}
          onDone={(answer) => {
            setDeleting(null);
            toast(t("autoReplies.deleted", { name: answer.name }));
          }}
        >
          <Text as="p">{t("autoReplies.deleteModal.body")}</Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}
