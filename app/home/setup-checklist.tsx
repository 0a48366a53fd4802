// The guided set-up: the path to a first recovered cart, each step ticked from real data.
import { Badge, BlockStack, Box, Button, Collapsible, Divider, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useState } from "react";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import type { SetupState } from "../shops/setup-state.server";
import type { StorefrontButton } from "./theme.server";
import { ChannelDrawing } from "./illustrations";

type Step = { id: string; done: boolean; title: string; body: string; note?: string; action?: { label: string; url: string; external?: boolean }; extra?: React.ReactNode };

/** Both channels, side by side (one above the other on a phone), each with its drawing. */
export function ChannelGuide() {
  const t = useT();
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {t("home.guide.heading")}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <BlockStack gap="200">
          <Text as="p" fontWeight="semibold">
            {t("home.guide.messaging.title")}
          </Text>
          <ChannelDrawing channel="messaging" />
          <Text as="p" tone="subdued">
            {t("home.guide.messaging.body")}
          </Text>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="p" fontWeight="semibold">
            {t("home.guide.login.title")}
          </Text>
          <ChannelDrawing channel="login" />
          <Text as="p" tone="subdued">
            {t("home.guide.login.body")}
          </Text>
        </BlockStack>
      </InlineGrid>
    </BlockStack>
  );
}

export function SetupChecklist(props: { setup: SetupState; storefront: StorefrontButton; themeEditorUrl: string }) {
  const t = useT();
  const { setup } = props;
  const steps: Step[] = [
    {
      id: "connect",
      done: setup.lineAccounts.ready > 0,
      title: t("home.setup.step.connect.title"),
      body: t("home.setup.step.connect.body"),
      note: setup.lineAccounts.connected > 0 && setup.lineAccounts.ready === 0 ? t("home.setup.step.connect.attention") : undefined,
      action: { label: t("home.setup.step.connect.action"), url: "/app/accounts" },
      extra: setup.lineAccounts.connected === 0 ? <ChannelGuide /> : undefined,
    },
    {
      id: "storefront",
      done: props.storefront === "added",
      title: t("home.setup.step.storefront.title"),
      body: t("home.setup.step.storefront.body"),
      note: props.storefront === "unknown" ? t("home.setup.step.storefront.unknown") : undefined,
      action: { label: t("home.setup.step.storefront.action"), url: props.themeEditorUrl, external: true },
    },
    {
      id: "cart",
      done: setup.cartReminders.enabled,
      title: t("home.setup.step.cart.title"),
      body: t("home.setup.step.cart.body"),
      action: { label: t("home.setup.step.cart.action"), url: "/app/abandoned-cart" },
    },
    {
      id: "test",
      done: setup.testSent,
      title: t("home.setup.step.test.title"),
      body: t("home.setup.step.test.body"),
      action: { label: t("home.setup.step.test.action"), url: "/app/abandoned-cart" },
    },
  ];
  const done = steps.filter((step) => step.done).length;
  const next = steps.find((step) => !step.done)?.id;
  const [open, setOpen] = useState<string | undefined>(next);

  return (
    <SectionCard title={t("home.setup.heading")} gap="300">
      <ProgressBar progress={(done / steps.length) * 100} size="small" tone="primary" animated={false} />
      <Text as="p" tone="subdued">
        {done === steps.length ? t("home.setup.done") : t("home.setup.progress", { done, total: steps.length })}
      </Text>
      <BlockStack gap="200">
        {steps.map((step, index) => (
          <BlockStack key={step.id} gap="200">
            {index > 0 && <Divider />}
            <div data-step={step.id} data-done={step.done ? "true" : "false"}>
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Badge tone={step.done ? "success" : undefined} progress={step.done ? "complete" : "incomplete"}>
                    {step.done ? t("home.setup.stepDone") : t("home.setup.stepTodo")}
                  </Badge>
                  <Button variant="plain" textAlign="left" onClick={() => setOpen(open === step.id ? undefined : step.id)} ariaExpanded={open === step.id}>
                    {step.title}
                  </Button>
                </InlineStack>
                <Collapsible id={`setup-${step.id}`} open={open === step.id}>
                  <Box paddingBlockStart="100" paddingInlineStart="0">
                    <BlockStack gap="300">
                      <Text as="p">{step.body}</Text>
                      {step.note && (
                        <Text as="p" tone="caution">
                          {step.note}
                        </Text>
                      )}
                      {step.extra}
                      {step.action && !step.done && (
                        <InlineStack>
                          <Button variant="primary" url={step.action.url} target={step.action.external ? "_blank" : undefined}>
                            {step.action.label}
                          </Button>
                        </InlineStack>
                      )}
                    </BlockStack>
                  </Box>
                </Collapsible>
              </BlockStack>
            </div>
          </BlockStack>
        ))}
      </BlockStack>
    </SectionCard>
  );
}
