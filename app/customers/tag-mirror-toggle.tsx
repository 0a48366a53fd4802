// The tags page's switch: mirror this friend tag to the linked customers' Shopify tags as "LINE:<name>". Its label
// names no tag: the row does (a label repeating the name would make the name appear twice on the page).
import { Checkbox, InlineError } from "@shopify/polaris";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";

export function TagMirrorToggle(props: { id: string; mirror: boolean }) {
  const t = useT();
  const { fetcher, fieldError } = useRouteAction();
  const submitted = fetcher.formData?.get("mirror");
  const checked = typeof submitted === "string" ? submitted === "true" : props.mirror;
  const error = fieldError("form");
  return (
    <>
      <Checkbox
        label={t("tags.mirror.label")}
        labelHidden
        checked={checked}
        onChange={(value) => fetcher.submit({ intent: "mirror", id: props.id, mirror: String(value) }, { method: "post" })}
      />
      {error && <InlineError message={error} fieldID={`mirror-${props.id}`} />}
    </>
  );
}
