/* OneSeal notifications: keeps the top-bar badge live over the ws/notifications/ websocket.
   Without this file the badge shows the count rendered by the server. */
(function () {
  "use strict";

  var badge = document.querySelector("[data-notifications-ws]");
  if (!badge || !("WebSocket" in window)) return;
  var countEl = badge.querySelector("[data-notification-count]");
  var labelEl = badge.querySelector("[data-notification-label]");
  var live = document.querySelector("[data-notification-live]");
  var delay = 1000;
  var failures = 0;  // connections closed before they opened (e.g. refused after logout)
  var REFUSED = 4401;

  function setCount(n) {
    if (!countEl) return;
    countEl.textContent = n > 99 ? "99+" : String(n);
    countEl.hidden = n === 0;
    if (labelEl) labelEl.textContent = n + " 条未读";
  }

  function announce(message) {
    if (live && message.title) live.textContent = "新消息：" + message.title;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + badge.getAttribute("data-notifications-ws"));
    var opened = false;
    socket.onopen = function () { opened = true; delay = 1000; failures = 0; };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "unread") setCount(message.count);
      else if (message.type === "notification") announce(message);
    };
    socket.onclose = function (event) {
      if (event.code === REFUSED) return;  // logged out: nothing to show
      if (!opened && ++failures >= 6) return;  // keep the server-rendered count
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
