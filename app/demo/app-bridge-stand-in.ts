// The App Bridge the local demo's admin pages load instead of Shopify's CDN script (which needs the Shopify admin
// around the app and the network): the parts of `window.shopify` and of its elements the app uses, shown in the page
// itself. Toasts appear at the bottom (and are kept in `window.__toasts`), the contextual save bar at the top
// (`<html data-save-bar-open>`), the nav menu as a bar of links; `shopify.idToken()` and every same-origin fetch
// carry a demo session token from /demo/token, as App Bridge adds one in the admin. Served only in the demo.
export const APP_BRIDGE_STAND_IN = String.raw`(function () {
  window.__toasts = [];
  var token = null;
  var tokenUntil = 0;
  function idToken() {
    if (token && Date.now() < tokenUntil) return Promise.resolve(token);
    return realFetch("/demo/token", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        token = body.token;
        tokenUntil = Date.now() + 30 * 60 * 1000;
        return token;
      });
  }
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin || url.pathname === "/demo/token") return realFetch(input, init);
    return idToken().then(function (value) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("authorization")) headers.set("authorization", "Bearer " + value);
      return realFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  var toastBox = null;
  function showToast(message, options) {
    window.__toasts.push(message);
    if (!toastBox) {
      toastBox = document.createElement("div");
      toastBox.setAttribute("data-demo-toasts", "");
      toastBox.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:1001;display:flex;flex-direction:column;gap:8px;align-items:center";
      document.documentElement.appendChild(toastBox);
    }
    var item = document.createElement("div");
    item.setAttribute("role", "status");
    item.textContent = message;
    item.style.cssText = "background:" + (options && options.isError ? "#8e1f0b" : "#1a1a1a") + ";color:#fff;padding:10px 16px;border-radius:10px;font:14px/1.4 sans-serif;max-width:80vw";
    toastBox.appendChild(item);
    setTimeout(function () { item.remove(); }, (options && options.duration) || 5000);
    return String(window.__toasts.length);
  }

  var saveBars = new Map();
  function bar(id) { return saveBars.get(id) || document.getElementById(id); }
  class UiSaveBar extends HTMLElement {
    connectedCallback() {
      if (this.id) saveBars.set(this.id, this);
      if (!this.showing) this.style.display = "none";
    }
    disconnectedCallback() {
      if (this.id) saveBars.delete(this.id);
      if (this.showing) this.hide();
    }
    get showing() { return this.hasAttribute("data-showing"); }
    show() {
      this.setAttribute("data-showing", "");
      this.style.cssText = "display:flex;gap:8px;position:fixed;top:0;left:0;right:0;z-index:1000;padding:8px;background:#1a1a1a";
      document.documentElement.setAttribute("data-save-bar-open", this.id || "");
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }
    hide() {
      if (!this.showing) return Promise.resolve();
      this.removeAttribute("data-showing");
      this.style.display = "none";
      document.documentElement.removeAttribute("data-save-bar-open");
      this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    }
    toggle() { return this.showing ? this.hide() : this.show(); }
  }
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", UiSaveBar);

  // The admin draws the app's menu beside the frame; here it is a bar of links above the page, drawn in the
  // element's shadow root so the links React rendered stay untouched.
  class UiNavMenu extends HTMLElement {
    connectedCallback() {
      this.style.setProperty("display", "block", "important");
      if (!this.shadowRoot) {
        this.attachShadow({ mode: "open" });
        new MutationObserver(() => this.draw()).observe(this, { childList: true, subtree: true, characterData: true });
      }
      this.draw();
    }
    draw() {
      var root = this.shadowRoot;
      root.innerHTML = "<style>nav{display:flex;flex-wrap:wrap;gap:4px 12px;padding:8px 16px;background:#1a1a1a;font:13px/1.6 sans-serif}" +
        "a{color:#fff;text-decoration:none;cursor:pointer}a:hover{text-decoration:underline}a.line{color:#06c755;font-weight:600}</style><nav part=\"nav\"></nav>";
      var nav = root.querySelector("nav");
      Array.prototype.forEach.call(this.querySelectorAll("a"), function (link) {
        var item = document.createElement("a");
        item.textContent = link.textContent;
        item.href = link.getAttribute("href");
        item.addEventListener("click", function (event) {
          event.preventDefault();
          link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
        });
        nav.appendChild(item);
      });
      var sandbox = document.createElement("a");
      sandbox.className = "line";
      sandbox.textContent = document.documentElement.lang === "ja" ? "LINE サンドボックス ↗" : "LINE sandbox ↗";
      sandbox.href = "/demo/line?locale=" + encodeURIComponent(document.documentElement.lang || "ja");
      sandbox.target = "_blank";
      nav.appendChild(sandbox);
    }
  }
  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", UiNavMenu);

  window.shopify = {
    config: { apiKey: document.currentScript && document.currentScript.getAttribute("data-api-key") },
    environment: { embedded: true, mobile: false, pos: false },
    toast: { show: showToast, hide: function () {} },
    saveBar: {
      show: function (id) { return bar(id) ? bar(id).show() : Promise.resolve(); },
      hide: function (id) { return bar(id) ? bar(id).hide() : Promise.resolve(); },
      toggle: function (id) { return bar(id) ? bar(id).toggle() : Promise.resolve(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
    loading: function () {},
    idToken: idToken,
  };
})();
`;
