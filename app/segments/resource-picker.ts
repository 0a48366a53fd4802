// App Bridge's resource picker for the segment conditions on purchases: products, variants or collections, each
// returned as Shopify's numeric id and the title the picker showed. Absent outside the Shopify admin (browser tests
// may put a stub in its place): the picker then reports itself unavailable.

export type PickedResource = { id: string; title: string };
export type ResourceType = "product" | "variant" | "collection";

type Selected = { id: string; title?: string; displayName?: string; product?: { title?: string } };
type Picker = (options: { type: ResourceType; action?: "add" | "select"; multiple?: boolean | number; selectionIds?: { id: string }[] }) => Promise<Selected[] | undefined>;

const appBridge = () => (globalThis as { shopify?: { resourcePicker?: Picker } }).shopify;

const GID_TYPE: Record<ResourceType, string> = { product: "Product", variant: "ProductVariant", collection: "Collection" };

export function resourcePickerAvailable(): boolean {
  return typeof appBridge()?.resourcePicker === "function";
}

/** "gid://shopify/Product/123" → "123" when it names a resource of `type`; null otherwise. */
export function numericIdOf(type: ResourceType, gid: string): string | null {
  const match = new RegExp(`^gid://shopify/${GID_TYPE[type]}/([1-9][0-9]{0,19})$`).exec(gid);
  return match ? match[1]! : null;
}

/** The resources picked, [] when the merchant cancelled, null without App Bridge. */
export async function pickResources(type: ResourceType, selected: PickedResource[], max: number): Promise<PickedResource[] | null> {
  const picker = appBridge()?.resourcePicker;
  if (!picker) return null;
  const selection = await picker({
    type,
    action: "select",
    multiple: max,
    selectionIds: selected.map((item) => ({ id: `gid://shopify/${GID_TYPE[type]}/${item.id}` })),
  });
  return (selection ?? []).flatMap((item) => {
    const id = numericIdOf(type, item.id);
    if (!id) return [];
    const title = type === "variant" ? (item.displayName ?? [item.product?.title, item.title].filter(Boolean).join(" – ")) : (item.title ?? "");
    return [{ id, title: title.slice(0, 255) }];
  });
}
