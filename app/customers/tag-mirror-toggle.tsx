// The tags page's switch: mirror this friend tag to the linked customers' Shopify tags as "LINE:<name>".
import { Checkbox, InlineError } from "@shopify/polaris";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";

export function TagMirrorToggle(props: { id: string; name: string; mirror: boolean }) {
  const t = useT();
  const { fetcher, fieldError } = useRouteAction();
  const submitted = fetcher.formData?.get("mirror");
  const checked = typeof submitted === "string" ? submitted === "true" : props.mirror;
  const error = fieldError("form");
  return (
    <>
      <Checkbox
        label={t("tags.mirror.label", { name: props.name, shopifyTag: `LINE:${props.name}` })}
        labelHidden
        checked={checked}
        onChange={(value) => fetcher.submit({ intent: "mirror", id: props.id, mirror: String(value) }, { method: "post" })}
      />
      {error && <InlineError message={error} fieldID={`mirror-${props.id}`} />}
    </>
  );
}
