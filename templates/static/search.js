// Full-text search over the static index in search/ (see corpus_site/search.py for its format).
// Index files are scripts, loaded on demand with plain GETs, so search also works from file://.
"use strict";

(() => {
  const results = document.getElementById("search-results");
  if (!results) return;
  const form = document.getElementById("search-form");
  const status = document.getElementById("search-status");
  const more = document.getElementById("search-more");
  const base = new URL(results.dataset.config.replace(/config\.js$/, ""), location.href).href;
  const traditional = document.documentElement.lang === "zh-Hant";
  const PAGE = 20;
  const CONTEXT = 30;
  const loaded = new Map();
  const waiting = new Map();
  let config = null;
  let filters = null;

  function receive(kind, key, value) {
    const id = kind + ":" + key;
    loaded.set(id, value);
    const resolve = waiting.get(id);
    if (resolve) resolve(value);
  }
  window.corpusSearch = {
    config: (value) => receive("config", 0, value),
    filters: (value) => receive("filters", 0, value),
    shard: ([n, value]) => receive("shard", n, value),
    text: ([n, value]) => receive("text", n, value),
    // For scripts and benchmarks: the numbers (corpus.jsonl order) of the documents matching a query.
    query: async (text) => {
      config = config || (await load("config", 0, "config.js"));
      const found = await search(text, { source: "", year: "", script: "" });
      return found.docs.slice().sort((a, b) => a - b);
    },
  };

  function load(kind, key, path) {
    const id = kind + ":" + key;
    if (loaded.has(id)) return Promise.resolve(loaded.get(id));
    if (!waiting.has(id + ":promise")) {
      const promise = new Promise((resolve, reject) => {
        waiting.set(id, resolve);
        const script = document.createElement("script");
        script.src = base + path;
        script.onerror = () => reject(new Error("cannot load " + path));
        document.head.appendChild(script);
      });
      waiting.set(id + ":promise", promise);
    }
    return waiting.get(id + ":promise");
  }

  // One character for one, as the index folded the text.
  function fold(text) {
    let out = "";
    for (const char of text) {
      const code = char.charCodeAt(0);
      if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0).toLowerCase();
      else if (char >= "A" && char <= "Z") out += char.toLowerCase();
      else out += char;
    }
    return out;
  }

  function toCanonical(text) {
    const phrases = config.t2s_phrases;
    const longest = Object.keys(phrases).reduce((n, p) => Math.max(n, p.length), 0);
    let out = "";
    let i = 0;
    outer: while (i < text.length) {
      for (let n = Math.min(longest, text.length - i); n >= 2; n--) {
        const piece = text.slice(i, i + n);
        if (phrases[piece]) {
          out += phrases[piece];
          i += n;
          continue outer;
        }
      }
      out += config.t2s[text[i]] || text[i];
      i += 1;
    }
    return out;
  }

  function toShown(text) {
    if (!traditional) return text;
    let out = "";
    for (const char of text) out += config.s2t[char] || char;
    return out;
  }

  const SEARCHABLE = /[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

  function terms(query) {
    return toCanonical(fold(query.normalize("NFC"))).match(SEARCHABLE) || [];
  }

  function hash(key) {
    let value = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      for (const byte of [unit & 0xff, unit >> 8]) {
        value ^= byte;
        value = Math.imul(value, 0x01000193) >>> 0;
      }
    }
    return value % config.shards;
  }

  function decode(encoded) {
    const entries = [];
    if (!encoded) return entries;
    let doc = 0;
    for (const part of encoded.split(";")) {
      const numbers = part.split(",").map((n) => parseInt(n, 36));
      doc += numbers[0];
      const offsets = [];
      let offset = 0;
      for (const gap of numbers.slice(2)) {
        offset += gap;
        offsets.push(offset);
      }
      entries.push({ doc, paragraph: numbers[1], offsets });
    }
    return entries;
  }

  async function postings(key) {
    const shard = hash(key);
    const data = await load("shard", shard, "shards/" + shard + ".js");
    return decode(data[key]);
  }

  // Paragraph hits of one term: Map doc -> Map paragraph -> [offsets] (offsets empty for one character).
  async function termHits(term) {
    const hits = new Map();
    const add = (doc, paragraph, offsets) => {
      if (!hits.has(doc)) hits.set(doc, new Map());
      hits.get(doc).set(paragraph, offsets);
    };
    if (term.length === 1) {
      for (const e of await postings(term)) add(e.doc, e.paragraph, []);
      return hits;
    }
    const keys = [];
    for (let i = 0; i < term.length - 1; i++) keys.push(term.slice(i, i + 2));
    const lists = await Promise.all(keys.map(postings));
    const byPlace = lists.map((list) => {
      const map = new Map();
      for (const e of list) map.set(e.doc + ":" + e.paragraph, new Set(e.offsets));
      return map;
    });
    for (const e of lists[0]) {
      const place = e.doc + ":" + e.paragraph;
      const starts = e.offsets.filter((start) =>
        byPlace.every((map, k) => map.has(place) && map.get(place).has(start + k))
      );
      if (starts.length) add(e.doc, e.paragraph, starts);
    }
    return hits;
  }

  async function search(query, wanted) {
    const words = terms(query);
    if (!words.length) return { words, docs: [] };
    const perTerm = await Promise.all(words.map(termHits));
    let docs = [...perTerm[0].keys()].filter((doc) => perTerm.every((hits) => hits.has(doc)));
    if (wanted.source !== "" || wanted.year !== "" || wanted.script !== "") {
      filters = filters || (await load("filters", 0, "filters.js"));
      docs = docs.filter((doc) => {
        const [source, year, script] = filters[doc];
        return (
          (wanted.source === "" || String(source) === wanted.source) &&
          (wanted.year === "" || year === wanted.year) &&
          (wanted.script === "" || script === wanted.script)
        );
      });
    }
    const count = (doc) => perTerm.reduce((n, hits) => n + hits.get(doc).size, 0);
    docs.sort((a, b) => count(b) - count(a) || a - b);
    return { words, docs, perTerm };
  }

  function firstHit(found, doc, paragraphs) {
    const hits = found.perTerm[0].get(doc);
    const paragraph = Math.min(...hits.keys());
    const text = fold(paragraphs[paragraph]);
    const start = hits.get(paragraph).length ? hits.get(paragraph)[0] : text.indexOf(found.words[0]);
    return { paragraph, start };
  }

  function excerpt(text, words, start) {
    const from = Math.max(0, start - CONTEXT);
    const piece = text.slice(from, start + CONTEXT * 2);
    const folded = fold(piece);
    const marks = [];
    for (const word of words) {
      let at = folded.indexOf(word);
      while (at >= 0) {
        marks.push([at, at + word.length]);
        at = folded.indexOf(word, at + word.length);
      }
    }
    marks.sort((a, b) => a[0] - b[0]);
    const fragment = document.createDocumentFragment();
    if (from > 0) fragment.append("…");
    let position = 0;
    for (const [a, b] of marks) {
      if (a < position) continue;
      fragment.append(toShown(piece.slice(position, a)));
      const mark = document.createElement("mark");
      mark.textContent = toShown(piece.slice(a, b));
      fragment.append(mark);
      position = b;
    }
    fragment.append(toShown(piece.slice(position)));
    if (from + piece.length < text.length) fragment.append("…");
    return fragment;
  }

  async function render(found, from) {
    const shown = found.docs.slice(from, from + PAGE);
    const items = await Promise.all(
      shown.map(async (doc) => {
        const record = await load("text", doc, "text/" + doc + ".js");
        const paragraphs = record.paragraphs;
        const [title, titleHant, url, date, source] = record.meta;
        const hit = firstHit(found, doc, paragraphs);
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = url + "#p" + (hit.paragraph + 1);
        link.textContent = traditional ? titleHant : title;
        const heading = document.createElement("h2");
        heading.append(link);
        const meta = document.createElement("p");
        meta.className = "result-meta";
        meta.textContent = toShown([date, source].filter(Boolean).join(" · ")) + " ¶" + (hit.paragraph + 1);
        const text = document.createElement("p");
        text.className = "excerpt";
        text.append(excerpt(paragraphs[hit.paragraph], found.words, hit.start));
        item.append(heading, meta, text);
        return item;
      })
    );
    if (from === 0) results.replaceChildren();
    results.append(...items);
    more.hidden = from + PAGE >= found.docs.length;
    more.onclick = () => render(found, from + PAGE);
  }

  function wantedFilters() {
    return {
      source: form.elements.source.value,
      year: form.elements.year.value,
      script: form.elements.script.value,
    };
  }

  async function run() {
    const query = form.elements.q.value.trim();
    results.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = traditional ? "搜尋中…" : "搜索中…";
    try {
      config = config || (await load("config", 0, "config.js"));
      const found = await search(query, wantedFilters());
      status.textContent = traditional
        ? `找到 ${found.docs.length} 篇文獻`
        : `找到 ${found.docs.length} 篇文献`;
      status.dataset.count = String(found.docs.length);
      if (found.docs.length) await render(found, 0);
    } catch (error) {
      status.textContent = String(error);
    }
  }

  async function fillFilters() {
    config = config || (await load("config", 0, "config.js"));
    const source = form.elements.source;
    config.sources.forEach((name, n) => source.append(new Option(toShown(name), String(n))));
    for (const year of config.years) form.elements.year.append(new Option(year, year));
  }

  const params = new URLSearchParams(location.search);
  form.elements.q.value = params.get("q") || "";
  fillFilters().then(() => {
    for (const name of ["source", "year", "script"]) {
      if (params.get(name)) form.elements[name].value = params.get(name);
    }
    run();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of ["q", "source", "year", "script"]) {
      if (form.elements[name].value) next.set(name, form.elements[name].value);
    }
    history.replaceState(null, "", "?" + next.toString());
    run();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "q") run();
  });
})();
