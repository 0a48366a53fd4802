// The composer's calls: App Bridge's resource picker, the product cards route and the image upload route.
// App Bridge is absent outside the Shopify admin (and in browser tests, which may put a stub in its place):
// the picker then reports itself unavailable instead of failing.
import type { HostedImage, PickedProduct } from "./model";

type Picker = (options: {
  type: "product";
  action?: "add" | "select";
  multiple?: boolean | number;
  selectionIds?: { id: string }[];
}) => Promise<{ id: string }[] | undefined>;

type AppBridge = { resourcePicker?: Picker; idToken?: () => Promise<string> };

const appBridge = (): AppBridge | undefined => (globalThis as { shopify?: AppBridge }).shopify;

export const API_BASE = "/app/api";

export function pickerAvailable(): boolean {
  return typeof appBridge()?.resourcePicker === "function";
}

/** The ids of the products picked, [] when the merchant cancelled, null without App Bridge. */
export async function pickProductIds(multiple: boolean | number, selected: string[] = []): Promise<string[] | null> {
  const picker = appBridge()?.resourcePicker;
  if (!picker) return null;
  const selection = await picker({ type: "product", action: "select", multiple, selectionIds: selected.map((id) => ({ id })) });
  return (selection ?? []).map((item) => item.id);
}

export type ApiFailure = { ok: false; error: string };

export async function fetchProducts(ids: string[]): Promise<{ ok: true; products: PickedProduct[] } | ApiFailure> {
  const query = ids.map((id) => `id=${encodeURIComponent(id)}`).join("&");
  try {
    const response = await fetch(`${API_BASE}/products?${query}`, { headers: { accept: "application/json" } });
    const body = (await response.json()) as { ok: true; products: PickedProduct[] } | ApiFailure;
    return response.ok && body.ok ? body : { ok: false, error: body.ok ? "messagesComposer.error.productsLoad" : body.error };
  } catch {
    return { ok: false, error: "messagesComposer.error.productsLoad" };
  }
}

/**
 * Uploads an image, reporting progress (0..1). In the admin the request carries App Bridge's session token and goes
 * by XMLHttpRequest, whose upload reports progress; without App Bridge it goes by fetch (progress jumps to the end).
 */
export async function uploadImage(file: File, onProgress: (fraction: number) => void): Promise<{ ok: true; image: HostedImage } | ApiFailure> {
  const form = new FormData();
  form.append("file", file);
  const failed = { ok: false as const, error: "messagesComposer.error.imageUpload" };
  const token = await appBridge()?.idToken?.().catch(() => undefined);
  if (!token) {
    try {
      const response = await fetch(`${API_BASE}/images`, { method: "POST", body: form });
      onProgress(1);
      return ((await response.json()) as { ok: true; image: HostedImage } | ApiFailure) ?? failed;
    } catch {
      return failed;
    }
  }
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", `${API_BASE}/images`);
    request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.responseType = "json";
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => resolve((request.response as { ok: true; image: HostedImage } | ApiFailure | null) ?? failed);
    request.onerror = () => resolve(failed);
    request.send(form);
  });
}
