// The account form's parser for the route's action, through a .server module so that the accounts page's browser
// chunk does not carry zod (Remix leaves .server modules empty in the browser).
export { parseAccountInput } from "./account-input";
