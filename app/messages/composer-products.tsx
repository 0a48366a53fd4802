// The product-card editor: products picked with App Bridge's resource picker, read back through the products route
// (so prices and links come from Shopify), and the button text.
import { Banner, BlockStack, Button, InlineStack, Spinner, Text, TextField, Thumbnail } from "@shopify/polaris";
import { useState } from "react";
import { formatPrice } from "../abandoned-cart/money";
import { useLocale, useT } from "../i18n/i18n";
import { fetchProducts, pickProductIds } from "./composer-api";
import { usePickerAvailable, type EditorProps } from "./composer-editors";
import { MESSAGE_LIMITS, type ProductCard } from "./limits";

const toCard = ({ productId, title, price, currency, imageUrl, url }: ProductCard): ProductCard => ({ productId, title, price, currency, imageUrl, url });

export function ProductsEditor({ message, onChange, error }: EditorProps<"products">) {
  const t = useT();
  const locale = useLocale();
  const picker = usePickerAvailable();
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const pick = async () => {
    setFailure(null);
    const ids = await pickProductIds(MESSAGE_LIMITS.products, message.products.map((p) => p.productId));
    if (!ids?.length) return;
    setLoading(true);
    const answer = await fetchProducts(ids.slice(0, MESSAGE_LIMITS.products));
    setLoading(false);
    if (answer.ok) onChange({ ...message, products: answer.products.map(toCard) });
    else setFailure(answer.error);
  };
  const remove = (productId: string) => onChange({ ...message, products: message.products.filter((p) => p.productId !== productId) });
  const listError = error("products");
  return (
    <BlockStack gap="300">
      {failure ? (
        <Banner tone="critical" onDismiss={() => setFailure(null)}>
          {t(failure as Parameters<typeof t>[0])}
        </Banner>
      ) : null}
      {!picker ? <Banner tone="info">{t("messagesComposer.picker.unavailable")}</Banner> : null}
      {message.products.length > 0 ? (
        <BlockStack gap="200">
          {message.products.map((product, index) => (
            <InlineStack key={product.productId} gap="300" blockAlign="center" wrap={false}>
              <Thumbnail source={product.imageUrl ?? ""} alt="" size="small" />
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text as="p" fontWeight="semibold" truncate>
                  {product.title}
                </Text>
                <Text as="p" tone="subdued">
                  {formatPrice(product.price, product.currency, locale === "en" ? "en-US" : "ja-JP")}
                </Text>
                {error(`products.${index}.url`, `products.${index}.title`, `products.${index}.price`) ? (
                  <Text as="p" tone="critical">
                    {error(`products.${index}.url`, `products.${index}.title`, `products.${index}.price`)}
                  </Text>
                ) : null}
              </div>
              <Button variant="plain" tone="critical" accessibilityLabel={t("messagesComposer.products.remove", { title: product.title })} onClick={() => remove(product.productId)}>
                {t("messagesComposer.remove")}
              </Button>
            </InlineStack>
          ))}
        </BlockStack>
      ) : null}
      {listError ? (
        <Text as="p" tone="critical">
          {listError}
        </Text>
      ) : null}
      <InlineStack gap="200" blockAlign="center">
        <Button onClick={() => void pick()} disabled={!picker || loading}>
          {message.products.length ? t("messagesComposer.products.change") : t("messagesComposer.products.select")}
        </Button>
        {loading ? <Spinner size="small" accessibilityLabel={t("messagesComposer.products.loading")} /> : null}
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("messagesComposer.products.help")}
      </Text>
      <TextField
        label={t("messagesComposer.products.buttonLabel")}
        value={message.buttonLabel}
        onChange={(buttonLabel) => onChange({ ...message, buttonLabel })}
        autoComplete="off"
        error={error("buttonLabel")}
      />
    </BlockStack>
  );
}
