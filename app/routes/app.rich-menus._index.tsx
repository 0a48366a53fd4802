import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { MenuList } from "../rich-menus/components/menu-list";
import { listPage } from "../rich-menus/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listPage(session.shop, request);
};

export default function RichMenus() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const withAccount = (path: string) => (data.accountId ? `${path}?account=${encodeURIComponent(data.accountId)}` : path);
  return (
    <MenuList
      accounts={data.accounts}
      accountId={data.accountId}
      menus={data.menus}
      onOpen={(id) => navigate(`/app/rich-menus/${id}`)}
      onCreate={() => navigate(withAccount("/app/rich-menus/new"))}
      onRules={() => navigate(withAccount("/app/rich-menus/rules"))}
      onActionLinks={() => navigate(`/app/action-links${params.toString() ? `?${params}` : ""}`)}
    />
  );
}
