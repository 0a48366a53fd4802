// Preloaded (NODE_OPTIONS=--import) into a web process that tests production behaviour: the test run's Remix build
// is made outside production and calls React's development JSX runtime (jsxDEV), which React's production build
// does not export. Loading React once as in development, then restoring NODE_ENV, lets that build render while the
// app itself reads NODE_ENV=production.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const mode = process.env.NODE_ENV;
process.env.NODE_ENV = "development";
for (const name of ["react", "react/jsx-runtime", "react/jsx-dev-runtime", "react-dom", "react-dom/server"]) require(name);
process.env.NODE_ENV = mode;
