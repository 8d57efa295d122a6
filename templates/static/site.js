// Progressive enhancements; every page reads and links without them.
"use strict";

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "absolute";
  area.style.left = "-9999px";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
  return Promise.resolve();
}

function setUpCitations() {
  const article = document.querySelector("article[data-cite]");
  if (!article) return;
  const pageUrl = article.dataset.url || location.href.split("#")[0];
  for (const button of article.querySelectorAll("button.cite")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const text = article.dataset.cite + "，" + pageUrl + "#" + button.dataset.paragraph;
      button.dataset.citation = text;
      copyText(text).then(() => {
        button.classList.add("copied");
        button.setAttribute("aria-live", "polite");
        setTimeout(() => button.classList.remove("copied"), 1500);
      });
    });
  }
}

function setUpDocumentTable() {
  const table = document.querySelector("table.sortable");
  const form = document.querySelector("form.filters");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  if (form) {
    form.hidden = false;
    const count = form.querySelector(".count");
    const apply = () => {
      let shown = 0;
      for (const row of rows) {
        const keep = Array.from(form.elements).every(
          (field) => !field.name || !field.value || row.dataset[field.name] === field.value
        );
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      }
      if (count) count.textContent = shown + " / " + rows.length;
    };
    form.addEventListener("change", apply);
    apply();
  }
  for (const header of table.tHead.rows[0].cells) {
    const key = header.dataset.sort;
    if (!key) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...header.childNodes);
    header.append(button);
    header.setAttribute("aria-sort", "none");
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      for (const cell of table.tHead.rows[0].cells) cell.setAttribute("aria-sort", "none");
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = header.dataset.type === "number";
      const value = (row) => (numeric ? Number(row.dataset[key]) : row.dataset[key] || "");
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        const order = numeric ? x - y : String(x).localeCompare(String(y), "zh");
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setUpCitations();
  setUpDocumentTable();
});
