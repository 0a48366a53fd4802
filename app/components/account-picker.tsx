// Pages that work on one LINE account at a time keep it in the URL (?account=); these pick it on both sides.
import { useSearchParams } from "@remix-run/react";
import { Card, Select } from "@shopify/polaris";

/** The connected accounts, as the pages show them. */
export function connectedAccounts(
  accounts: { id: string; displayName: string; botDisplayName: string | null; status: string }[],
) {
  return accounts
    .filter((account) => account.status === "connected")
    .map((account) => ({ id: account.id, displayName: account.displayName, botName: account.botDisplayName }));
}

/** The account named by ?account= when it is one of `accounts`, otherwise the first one. */
export function chosenAccount<T extends { id: string }>(accounts: T[], request: Request): T | null {
  const wanted = new URL(request.url).searchParams.get("account");
  return accounts.find((account) => account.id === wanted) ?? accounts[0] ?? null;
}

/** Switches ?account=, keeping the other parameters. With `allLabel`, a first option ("") for every account. */
export function AccountPicker(props: {
  label: string;
  accounts: { id: string; displayName: string }[];
  selectedId: string | null;
  allLabel?: string;
}) {
  const [params, setParams] = useSearchParams();
  const choose = (id: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set("account", id);
    else next.delete("account");
    setParams(next);
  };
  const options = props.accounts.map((account) => ({ label: account.displayName, value: account.id }));
  return (
    <Card>
      <Select
        label={props.label}
        options={props.allLabel === undefined ? options : [{ label: props.allLabel, value: "" }, ...options]}
        value={props.selectedId ?? ""}
        onChange={choose}
      />
    </Card>
  );
}
