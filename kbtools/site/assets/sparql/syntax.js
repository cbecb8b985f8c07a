/* SPARQL text without a parser: a tokenizer for the highlighting, and the few questions the
 * page asks before sending a query (is it an update? which form? which prefixes are declared?).
 *
 * No DOM here: the worker imports this module too.
 */

const KEYWORDS = new Set(
  (
    "BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT DESCRIBE ASK FROM NAMED WHERE ORDER BY ASC DESC LIMIT OFFSET " +
    "VALUES OPTIONAL GRAPH SERVICE SILENT BIND UNDEF MINUS UNION FILTER NOT IN EXISTS GROUP HAVING LATERAL " +
    "INSERT DELETE DATA LOAD CLEAR DROP CREATE ADD MOVE COPY WITH USING DEFAULT ALL INTO TO TRUE FALSE " +
    "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS " +
    "CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR " +
    "MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG " +
    "STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE"
  ).split(" "),
);
const UPDATE_WORDS = new Set(["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"]);
const FORMS = new Set(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]);

// Tried in this order at each position; the first match wins. Sticky (y) so each test starts there.
const RULES = [
  ["space", /\s+/y],
  ["comment", /#[^\n]*/y],
  ["string", /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
  ["iri", /<[^<>"{}|^`\\\s]*>/y],
  ["variable", /[?$][\p{L}\p{N}_\u00B7]+/uy],
  ["lang", /@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*/y],
  ["prefixed", /(?:[\p{L}][\p{L}\p{N}_.-]*)?:(?:[\p{L}\p{N}_:%-]|\.(?=[\p{L}\p{N}_:%-]))*/uy],
  ["number", /[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?/y],
  ["word", /[\p{L}_][\p{L}\p{N}_]*/uy],
  ["punct", /[\s\S]/y],
];

/** The tokens of ``text``: {type, text, start}; their texts put end to end give ``text`` back. */
export function tokenize(text) {
  const tokens = [];
  let at = 0;
  while (at < text.length) {
    for (const [type, re] of RULES) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m || !m[0]) continue;
      let kind = type;
      if (type === "word") kind = KEYWORDS.has(m[0].toUpperCase()) || m[0] === "a" ? "keyword" : "name";
      tokens.push({ type: kind, text: m[0], start: at });
      at += m[0].length;
      break;
    }
  }
  return tokens;
}

function words(text) {
  return tokenize(text)
    .filter((t) => t.type === "keyword")
    .map((t) => t.text.toUpperCase());
}

/** Whether the request is a SPARQL Update (the same rule as kbtools.query.is_update). */
export function isUpdate(text) {
  const seen = words(text);
  const update = seen.findIndex((w) => UPDATE_WORDS.has(w));
  const query = seen.findIndex((w) => FORMS.has(w));
  return update >= 0 && (query < 0 || update < query);
}

/** SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword (a sub-SELECT comes after its CONSTRUCT). */
export function queryForm(text) {
  return words(text).find((w) => FORMS.has(w)) || "SELECT";
}

/** Prefixes the query declares itself (lower case not assumed: prefixes are case-sensitive). */
export function declaredPrefixes(text) {
  const tokens = tokenize(text).filter((t) => t.type !== "space" && t.type !== "comment");
  const names = new Set();
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.type === "keyword" && t.text.toUpperCase() === "PREFIX" && next && next.type === "prefixed") {
      names.add(next.text.slice(0, next.text.indexOf(":")));
    }
  });
  return names;
}

/** PREFIX lines for the pre-declared prefixes the query does not declare; one line each. */
export function prologue(prefixes, text) {
  const own = declaredPrefixes(text);
  return Object.entries(prefixes)
    .filter(([name]) => !own.has(name))
    .map(([name, iri]) => `PREFIX ${name}: <${iri}>\n`)
    .join("");
}

/** Offset in ``text`` of a 1-based line and column (clamped to the end of that line). */
export function offsetOf(text, line, col) {
  const lines = text.split("\n");
  if (line < 1 || line > lines.length) return text.length;
  let offset = 0;
  for (let i = 0; i < line - 1; i += 1) offset += lines[i].length + 1;
  return offset + Math.min(Math.max(col - 1, 0), lines[line - 1].length);
}
