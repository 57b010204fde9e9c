// A name for the key this browser gets at sign-in, so it can be told apart in Settings.

const BROWSERS = [[/Edg\//, "Edge"], [/OPR\//, "Opera"], [/Firefox\//, "Firefox"], [/Chrom(e|ium)\//, "Chrome"], [/Safari\//, "Safari"]];
// Order matters: iOS claims "Mac OS X", Android claims "Linux".
const SYSTEMS = [[/iPhone|iPad/, "iOS"], [/Android/, "Android"], [/CrOS/, "ChromeOS"], [/Mac OS X/, "macOS"], [/Windows/, "Windows"], [/Linux/, "Linux"]];
const LIMIT = 100; // the API's limit on a key's name

function known(table, text) {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

// "Web app · Chrome on Linux · 5 Dec 2026"
export function deviceName(now = new Date(), agent = navigator.userAgent) {
  const browser = known(BROWSERS, agent) || "Browser";
  const system = known(SYSTEMS, agent);
  const date = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }).format(now);
  return `Web app · ${browser}${system ? ` on ${system}` : ""} · ${date}`.slice(0, LIMIT);
}
