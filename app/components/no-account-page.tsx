import { Card, EmptyState, Page } from "@shopify/polaris";
import { useT } from "../i18n/i18n";

// A LINE speech bubble, inline so the page needs nothing from outside. Its size is explicit: in a full-width page
// the empty state's flex container gives a size-less SVG no width at all.
const LINE_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="26" y="34" width="68" height="46" rx="14" fill="#06c755"/><path d="M48 78l-6 14 18-12z" fill="#06c755"/><text x="60" y="64" font-family="Arial,sans-serif" font-size="17" font-weight="700" fill="#fff" text-anchor="middle">LINE</text></svg>',
)}`;

/** The pages whose dictionary has `<page>.noAccount.heading`, `.body` and `.action`. */
type NoAccountMessages = "greeting" | "autoReplies" | "cart" | "trackingLinks" | "broadcasts" | "scenarioPages";

/** A page that needs a connected LINE account, shown before there is one: it says so and links to the accounts page. */
export function NoAccountPage(props: { title: string; messages: NoAccountMessages; image?: string }) {
  const t = useT();
  return (
    <Page title={props.title}>
      <Card>
        <EmptyState
          heading={t(`${props.messages}.noAccount.heading`)}
          action={{ content: t(`${props.messages}.noAccount.action`), url: "/app/accounts" }}
          image={props.image ?? LINE_IMAGE}
        >
          <p>{t(`${props.messages}.noAccount.body`)}</p>
        </EmptyState>
      </Card>
    </Page>
  );
}
