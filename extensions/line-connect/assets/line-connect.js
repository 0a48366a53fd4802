/* Adds this browser's cart token to the "Connect with LINE" link, so the app can tie the cart to the shopper's
   LINE account. The customer is never sent from here: Shopify's app proxy signs it. */
(function () {
  if (window.__lineConnect) return;
  window.__lineConnect = true;

  function withCart(href, token) {
    var url = new URL(href, window.location.origin);
    if (token) url.searchParams.set("cart", token);
    return url.pathname + url.search;
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[data-line-connect]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    var go = function (token) {
      window.location.assign(withCart(link.getAttribute("href"), token));
    };
    var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/";
    fetch(root + "cart.js", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (cart) {
        go(cart && cart.token ? String(cart.token).split("?")[0] : null);
      })
      .catch(function () {
        go(null);
      });
  });
})();
