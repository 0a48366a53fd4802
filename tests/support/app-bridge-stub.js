// A local stand-in for App Bridge (cdn.shopify.com cannot be reached from tests): the parts of `window.shopify`
// and of its elements the app uses, recording what the real admin would show so browser tests can check it.
//   window.__toasts          every toast message, in order
//   <html data-save-bar-open> the id of the contextual save bar on show, removed on hide
// A shown <ui-save-bar> draws its buttons at the top of the page (the admin draws them in its top bar).
(function () {
  window.__toasts = [];
  const saveBars = new Map();
  function bar(id) {
    return saveBars.get(id) || document.getElementById(id);
  }
  class UiSaveBar extends HTMLElement {
    connectedCallback() {
      if (this.id) saveBars.set(this.id, this);
      if (!this.showing) this.style.display = "none";
    }
    disconnectedCallback() {
      if (this.id) saveBars.delete(this.id);
      if (this.showing) this.hide();
    }
    get showing() {
      return this.hasAttribute("data-showing");
    }
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
    toggle() {
      return this.showing ? this.hide() : this.show();
    }
  }
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", UiSaveBar);
  window.shopify = {
    config: { apiKey: document.currentScript && document.currentScript.getAttribute("data-api-key") },
    environment: { embedded: true, mobile: false, pos: false },
    toast: {
      show(message) {
        window.__toasts.push(message);
        return String(window.__toasts.length);
      },
      hide() {},
    },
    saveBar: {
      show: (id) => (bar(id) ? bar(id).show() : Promise.resolve()),
      hide: (id) => (bar(id) ? bar(id).hide() : Promise.resolve()),
      toggle: (id) => (bar(id) ? bar(id).toggle() : Promise.resolve()),
      leaveConfirmation: () => Promise.resolve(),
    },
    loading() {},
    idToken: () => Promise.resolve(""),
  };
})();
