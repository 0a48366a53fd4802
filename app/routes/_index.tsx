import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** Outside the admin: an install or admin link carries ?shop, everything else goes to the login form. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  throw redirect("/auth/login");
};
