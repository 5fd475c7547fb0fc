import { render } from "preact";
import { App } from "./app.js";
import { Locked } from "./notices.js";
import { parseRoute } from "./route.js";
import { takeToken } from "./session.js";
import { prefetchFirstPage } from "./use-event-list.js";

// The token moves from the printed URL's fragment into this tab's sessionStorage before anything else runs.
const token = takeToken();
if (token !== null) prefetchFirstPage(parseRoute(location.hash).filters);
const root = document.getElementById("app");
if (root) render(token === null ? <Locked /> : <App />, root);
