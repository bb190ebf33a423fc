// The chat widget a company pastes into its own pages:
//   <script src="https://chat.example.com/widget.js" defer></script>
// It adds a "Chat with us" button; the chat opens in a floating panel holding the chat page
// itself (an iframe), so the page's strict content policy, its limits and its protocol stay
// as they are. The chat server lets only the configured sites frame it.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || document.getElementById("switchboard-chat-button")) {
    return;
  }
  const base = new URL(script.src);
  const label = script.dataset.label || "Chat with us";

  const button = document.createElement("button");
  button.type = "button";
  button.id = "switchboard-chat-button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  Object.assign(button.style, {
    position: "fixed",
    right: "20px",
    bottom: "20px",
    zIndex: "2147483000",
    padding: "12px 18px",
    border: "none",
    borderRadius: "24px",
    background: "#1f5fbf",
    color: "#ffffff",
    font: "600 15px system-ui, sans-serif",
    cursor: "pointer",
    boxShadow: "0 4px 12px rgba(0, 0, 0, 0.25)",
  });

  let panel = null;
  function toggle() {
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "switchboard-chat-panel";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", label);
      Object.assign(panel.style, {
        position: "fixed",
        right: "20px",
        bottom: "76px",
        width: "min(380px, calc(100vw - 40px))",
        height: "min(560px, calc(100vh - 110px))",
        zIndex: "2147483000",
        borderRadius: "12px",
        overflow: "hidden",
        background: "#ffffff",
        boxShadow: "0 8px 30px rgba(0, 0, 0, 0.3)",
      });
      const frame = document.createElement("iframe");
      frame.id = "switchboard-chat-frame";
      frame.title = label;
      frame.src = new URL("/?embedded=1", base).href;
      Object.assign(frame.style, { border: "0", width: "100%", height: "100%" });
      panel.append(frame);
      document.body.append(panel);
    } else {
      panel.hidden = !panel.hidden;
    }
    button.setAttribute("aria-expanded", String(!panel.hidden));
  }
  button.addEventListener("click", toggle);
  document.body.append(button);
})();
