// The cart-reminder preview: the Flex message drawn as LINE draws it, from the settings on screen.
import { Text } from "@shopify/polaris";
import { useMemo } from "react";
import { FlexBubble } from "../components/flex-bubble";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import { ReminderMessageError } from "./flex";
import { previewMessage } from "./preview";
import type { CartSettingsFormState } from "./settings-page";
import type { PreviewCart } from "./settings.server";

export function PreviewCard(props: { cart: PreviewCart; state: CartSettingsFormState; sender: string }) {
  const t = useT();
  const built = useMemo(() => {
    try {
      return { message: previewMessage(props.cart, props.state) };
    } catch (error) {
      // The builder's own words are for developers; the merchant reads why in their language.
      if (error instanceof ReminderMessageError) return { error: t(`cart.preview.error.${error.code}`) };
      throw error;
    }
  }, [props.cart, props.state, t]);
  return (
    <SectionCard title={t("cart.preview.heading")} gap="200">
      <Text as="p" tone="subdued">
        {t(props.cart.source === "checkout" ? "cart.preview.fromCheckout" : "cart.preview.fromSample")}
      </Text>
      <div style={{ background: "#8cabd8", borderRadius: 12, padding: 12 }} data-testid="cart-preview">
        <div style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
          <div
            aria-hidden
            style={{ flex: "none", width: 34, height: 34, borderRadius: "50%", background: "#06c755", color: "#fff", fontWeight: 700, display: "flex", alignItems: "center", justifyContent: "center" }}
          >
            {Array.from(props.sender)[0]}
          </div>
          <div style={{ minWidth: 0, flex: 1 }}>
            <div style={{ color: "#fff", fontSize: 12, marginBottom: 4 }} translate="no">
              {props.sender}
            </div>
            {built.message ? (
              <div translate="no">
                <FlexBubble bubble={built.message.contents} />
              </div>
            ) : (
              <div style={{ background: "#fff", borderRadius: 12, padding: 12, color: "#8e1f0b", fontSize: 13 }}>{built.error}</div>
            )}
          </div>
        </div>
      </div>
      {built.message && (
        <Text as="p" tone="subdued" breakWord>
          {t("cart.preview.altText", { text: built.message.altText })}
        </Text>
      )}
    </SectionCard>
  );
}
