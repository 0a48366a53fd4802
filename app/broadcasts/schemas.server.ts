// The broadcast schemas the route modules' actions use, through a .server module so that the routes' browser
// chunks do not carry zod (Remix leaves .server modules empty in the browser).
export { whenSchema } from "./model";
