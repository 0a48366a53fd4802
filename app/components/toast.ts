// Saved/deleted feedback as an App Bridge toast (shown by the Shopify admin, outside the app's frame).
import { useCallback } from "react";

type ToastApi = { show(message: string, options?: { isError?: boolean; duration?: number }): unknown };

/** `toast("保存しました")`; errors stay critical banners on the page, next to what failed. */
export function useToast() {
  return useCallback((message: string) => {
    const shopify = (globalThis as { shopify?: { toast?: ToastApi } }).shopify;
    shopify?.toast?.show(message);
  }, []);
}
