// Keep every typed contact in localStorage first, then send it; what cannot be sent waits.
// Every text it shows comes from the page (contacts/words.py renders the catalog's texts in
// the page's language into #record-words): this file holds no sentence of its own.
(function () {
  "use strict";
  var form = document.getElementById("contact");
  var status = document.getElementById("status");
  var source = document.getElementById("record-words");
  if (!form || !source || !window.localStorage || !window.fetch) { return; }
  var WORDS = JSON.parse(source.textContent);
  // One queue per form: the practice server names its audit's (data-queue), so contacts
  // kept for one audit are never sent to another opened later in the same browser.
  var KEY = "auditkit-contacts-queue:" + (form.getAttribute("data-queue") || document.title);
  var sending = false;

  function queue() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function say(text, waiting) {
    status.textContent = text;
    status.className = "status" + (waiting ? " waiting" : "");
  }
  // A text with its {name}s filled in (every occurrence; the values are plain text).
  function fill(text, values) {
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }
  function word(key, values) { return fill(WORDS.text[key], values); }
  // The plural form the page's language takes for n (the table covers 0-199; above, the
  // rules repeat with n % 100: see contacts/words.py).
  function plural(key, n, values) {
    var message = WORDS.plural[key];
    var form = message.forms[message.index[n < 200 ? n : 100 + n % 100]];
    return fill(form, Object.assign({ count: n }, values || {}));
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  // Choosing a pair fills in its date, channel and scenario, and narrows the personas.
  var pair = document.getElementById("pair");
  pair.addEventListener("change", function () {
    var option = pair.options[pair.selectedIndex];
    if (!option || !option.value) { return; }
    document.getElementById("date").value = option.dataset.date;
    document.getElementById("channel").value = option.dataset.channel;
    document.getElementById("scenario").value = option.dataset.scenario;
    var allowed = option.dataset.personas.split(" ");
    var persona = document.getElementById("persona");
    Array.prototype.forEach.call(persona.options, function (o) {
      o.hidden = o.value !== "" && allowed.indexOf(o.value) < 0;
    });
    if (allowed.indexOf(persona.value) < 0) { persona.value = ""; }
  });

  function flush() {
    if (sending) { return; }
    var items = queue();
    if (!items.length) { return; }
    sending = true;
    var item = items[0];
    var body = new URLSearchParams(item);
    body.set("csrf", form.elements.csrf.value);  // this page's token, after a restart too
    fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return [response.status, data]; },
                                  function () { return [response.status, null]; });
    }).then(function (answer) {
      sending = false;
      var rest = queue().filter(function (x) { return x.entry !== item.entry; });
      if (answer[1] && answer[1].ok) {
        store(rest);
        say(rest.length ? plural("sending", rest.length) :
            (answer[1].row ? word("saved_row", { row: answer[1].row }) : word("saved")), false);
        if (rest.length) { flush(); }
      } else if (answer[0] === 422 && answer[1]) {
        store(rest);  // it can never be saved as typed: back into the form to correct
        Object.keys(item).forEach(function (name) {
          var field = form.elements[name];
          if (field && field.type !== "radio" && name !== "csrf") { field.value = item[name]; }
        });
        var problems = answer[1].errors || {};
        say(word("not_saved", { problems: Object.keys(problems).map(function (k) {
          return (WORDS.fields[k] || k) + ": " + problems[k];
        }).join("; ") }), true);
      } else {
        say(plural("waiting_sent", queue().length,
                   { retry: form.getAttribute("data-retry") || word("retry") }), true);
      }
    }, function () {
      sending = false;
      say(plural("waiting_connection", queue().length), true);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var data = {};
    new FormData(form).forEach(function (value, name) { data[name] = String(value); });
    if (data.never === "yes") { data.turns_to_person = "never"; data.minutes_to_person = "never"; }
    delete data.never;
    data.entry = newId();
    var items = queue();
    items.push(data);
    store(items);
    say(word("kept"), true);
    // Ready for the pair's other contact: keep the pair, clear the outcomes.
    var keep = { pair: form.elements.pair.value, date: form.elements.date.value,
                 channel: form.elements.channel.value, scenario: form.elements.scenario.value };
    form.reset();
    Object.keys(keep).forEach(function (name) { form.elements[name].value = keep[name]; });
    flush();
  });

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
