// Copy-to-clipboard for citation buttons (shown only where the clipboard API exists).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const b of document.querySelectorAll("button[data-copy]")) b.hidden = false;
  document.addEventListener("click", (event) => {
    const b = event.target.closest("button[data-copy]");
    if (!b) return;
    navigator.clipboard.writeText(b.dataset.copy).then(() => {
      b.textContent = "已复制";
      setTimeout(() => { b.textContent = "复制"; }, 1500);
    });
  });
});
