// The friends page's follower imports: a banner with the count so far while one runs (the page reloads its data
// every 2 s meanwhile), then the result, which stays for a day unless dismissed.
import { useNavigation, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";

export type FollowerImportView = {
  id: string;
  lineAccountId: string;
  status: string;
  imported: number;
  existing: number;
  reason: string | null;
  detail: string | null;
  startedAt: string;
  finishedAt: string | null;
};

const POLL_MS = 2_000;
const RESULT_SHOWN_MS = 24 * 3_600_000;
const isKey = isMessageKey;
const count = (n: number) => new Intl.NumberFormat("en-US").format(n);

export function FollowerImportBanners(props: { imports: FollowerImportView[]; accounts: { id: string; displayName: string }[] }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const running = props.imports.some((run) => run.status === "running");
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && navigation.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, revalidator, navigation.state]);

  const [dismissed, setDismissed] = useState<string[]>([]);
  const shown = props.imports.filter(
    (run) =>
      run.status === "running" ||
      (!dismissed.includes(run.id) && Date.now() - Date.parse(run.finishedAt ?? run.startedAt) < RESULT_SHOWN_MS),
  );
  const accountName = (id: string) => props.accounts.find((account) => account.id === id)?.displayName ?? "?";
  return (
    <>
      {shown.map((run) => (
        <ImportBanner key={run.id} run={run} account={accountName(run.lineAccountId)} onDismiss={() => setDismissed((ids) => [...ids, run.id])} />
      ))}
    </>
  );
}

function ImportBanner({ run, account, onDismiss }: { run: FollowerImportView; account: string; onDismiss: () => void }) {
  const t = useT();
  if (run.status === "running") {
    return (
      <Banner tone="info" title={t("friends.import.runningTitle", { account })}>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Spinner size="small" accessibilityLabel={t("friends.import.spinner")} />
          <p>{t("friends.import.progress", { count: count(run.imported + run.existing), imported: count(run.imported) })}</p>
        </InlineStack>
      </Banner>
    );
  }
  if (run.status === "done") {
    return (
      <Banner tone="success" title={t("friends.import.doneTitle", { account })} onDismiss={onDismiss}>
        <p>{t("friends.import.done", { imported: count(run.imported), existing: count(run.existing) })}</p>
      </Banner>
    );
  }
  const reason = run.reason ?? "friends.import.error.unexpected";
  return (
    <Banner tone="critical" title={t("friends.import.failedTitleFor", { account })} onDismiss={onDismiss}>
      <BlockStack gap="100">
        <p>{isKey(reason) ? t(reason) : reason}</p>
        {run.imported > 0 ? <p>{t("friends.import.partial", { imported: count(run.imported) })}</p> : null}
        {run.detail ? (
          <Text as="p" tone="subdued">
            {run.detail}
          </Text>
        ) : null}
      </BlockStack>
    </Banner>
  );
}
