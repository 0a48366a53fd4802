import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { cancelBroadcast, getBroadcast } from "../broadcasts/broadcasts.server";
import { StatusBadge, useAudienceText, useShopTime } from "../broadcasts/components/labels";
import { ClicksCard, CountsGrid, FailuresCard, InsightCard, ProgressCard, ReasonBanner } from "../broadcasts/components/results-view";
import { CANCELLABLE, EDITABLE } from "../broadcasts/status";
import { resultsPage } from "../broadcasts/pages.server";
import { IntentConfirmModal } from "../components/confirm-modal";
import { MessageRevenueCard } from "../customers/revenue-view";
import { useT } from "../i18n/i18n";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const broadcast = await getBroadcast(session.shop, params.id ?? "");
  if (!broadcast) throw new Response("Not found", { status: 404 });
  return resultsPage(session.shop, broadcast);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "cancel") return json({ ok: false as const, errors: { form: "broadcasts.error.intent" } }, { status: 400 });
  const result = await cancelBroadcast(session.shop, params.id ?? "");
  if (!result.ok) return json({ ok: false as const, errors: result.errors }, { status: result.errors.form === "broadcasts.error.notFound" ? 404 : 409 });
  return json({ ok: true as const, cancelled: result.cancelled });
};

// While it sends, the page refreshes every second so the progress bar moves.
const REFRESH_MS = 1_000;

export default function BroadcastResults() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const audienceText = useAudienceText();
  const shopTime = useShopTime(data.timeZone);
  const [confirming, setConfirming] = useState(false);
  const b = data.broadcast;
  const live = data.running || b.status === "cancelled" && !b.finishedAt;

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);

  return (
    <Page
      title={b.name}
      titleMetadata={<StatusBadge status={b.status} />}
      subtitle={`${b.account} · ${audienceText(b.audience)}`}
      backAction={{ content: t("broadcasts.title"), onAction: () => navigate("/app/broadcasts") }}
      primaryAction={EDITABLE.includes(b.status) ? { content: t("broadcasts.results.edit"), onAction: () => navigate(`/app/broadcasts/${b.id}`) } : undefined}
      secondaryActions={CANCELLABLE.includes(b.status) ? [{ content: t("broadcasts.results.cancel"), destructive: true, onAction: () => setConfirming(true) }] : []}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ReasonBanner data={data} />
            <ProgressCard data={data} />
            <FailuresCard data={data} />
            <CountsGrid data={data} />
            <InsightCard data={data} />
            <ClicksCard data={data} />
            <MessageRevenueCard totals={data.revenue} kind="broadcast" sourceId={b.id} />
            <Text as="p" variant="bodySm" tone="subdued">
              {[b.startedAt && t("broadcasts.results.started", { when: shopTime(b.startedAt) }), b.finishedAt && t("broadcasts.results.finished", { when: shopTime(b.finishedAt) })]
                .filter(Boolean)
                .join(" · ")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
      {confirming && (
        <IntentConfirmModal<typeof action>
          title={t("broadcasts.results.cancelTitle", { name: b.name })}
          confirm={t("broadcasts.results.cancel")}
          cancel={t("broadcasts.confirm.cancel")}
          intent={{ intent: "cancel" }}
          onClose={() => setConfirming(false)}
          onDone={() => setConfirming(false)}
        >
          <Text as="p">{t("broadcasts.results.cancelBody")}</Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}
