// Sideways-scrolling charts and tables on narrow screens: the timeline opens on the years
// that hold hits (data-focus-from/-to: their x range in the chart's own units, of
// data-width), and a table's "scroll sideways" cue shows only while the table overflows.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".chart-scroll[data-focus-from]")) {
    if (box.scrollWidth <= box.clientWidth) continue;
    const scale = box.scrollWidth / Number(box.dataset.width);
    const from = Number(box.dataset.focusFrom) * scale;
    const to = Number(box.dataset.focusTo) * scale;
    const view = box.clientWidth;
    // the whole range, centred, when it fits; else its latest part
    box.scrollLeft = to - from <= view ? from - (view - (to - from)) / 2 : to - view;
  }
  const cues = () => {
    for (const box of document.querySelectorAll(".table-scroll[aria-describedby]")) {
      const cue = document.getElementById(box.getAttribute("aria-describedby"));
      if (cue) cue.hidden = box.scrollWidth <= box.clientWidth + 1;
    }
  };
  cues();
  window.addEventListener("resize", cues);
});
