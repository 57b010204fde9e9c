// Dates and words as the job seeker reads them.

let zone;
export function setTimeZone(name) {
  zone = name || undefined;
}

function formatter(options, timeZone = zone) {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, ...options });
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

// Every time shown names its zone ("Mon, Dec 7, 10:00 AM EST"): the account's zone, never
// the browser's, which may differ.
export function dateTime(value) {
  return formatter({ weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(new Date(value));
}

// The same instant on the contact's clock, where their zone is not the account's:
// "3:00 PM Ann Lee's time (Europe/London)"; null where it is the same.
export function theirTime(value, contact) {
  const theirs = contact?.timezone;
  if (!theirs || theirs === zone) return null;
  const when = new Date(value);
  const options = { hour: "numeric", minute: "2-digit" };
  const mine = formatter({ weekday: "short", ...options }).format(when);
  const there = formatter({ weekday: "short", ...options }, theirs).format(when);
  if (mine === there) return null;
  return `${there} ${contact.name}’s time (${theirs.replaceAll("_", " ")})`;
}

export function day(value) {
  const date = typeof value === "string" && value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  const options = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
  return (value.length === 10 ? new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }) : formatter(options)).format(date);
}

export const CHANNELS = {
  email: "Email",
  call: "Call",
  voicemail: "Voicemail",
  message: "Message",
  in_person: "In person",
};

export const ROLES = {
  hiring_manager: "Hiring manager",
  referrer: "Referrer",
  recruiter: "Recruiter",
  hr: "HR",
  other: "Other",
};

export const OUTCOMES = {
  conversation: "We talked",
  no_answer: "No answer",
  left_voicemail: "Left a voicemail",
  sent: "Sent",
  replied: "They replied",
  referred: "They referred me to someone",
  opening_discussed: "An opening came up",
  asked_to_stop: "They asked me to stop",
};

export const PHASES = {
  initial: "First touch",
  warm: "Warm",
  maintenance: "Maintenance",
  opening: "Opening",
};

export const STATUSES = {
  nurturing: "Nurturing",
  opening: "Opening",
  paused: "Paused",
  hired: "Hired",
  closed: "Closed",
  watching: "Watching",
};

export const HINTS = {
  add_hiring_manager: "Only recruiters or HR on file: add the hiring manager when you learn who it is.",
  single_channel: "Only one way to reach them: add another (phone, email or profile) to vary your touches.",
  find_news: "No recent news on file: add some to make the next touch more personal.",
};

export const PROBLEMS = {
  no_contacts: "Nobody on file yet: add the person you interviewed with.",
  only_recruiters: "Only recruiters or HR on file: add the hiring manager.",
  paused: "Paused: no follow-ups until you set it back.",
  no_plan: "Nothing planned: check its contacts and status.",
};

export function due(value, now, contact = null) {
  const when = new Date(value);
  const prefix = when < new Date(now || Date.now()) ? "Overdue since " : "Due ";
  const there = theirTime(value, contact);
  return prefix + dateTime(value) + (there ? ` · ${there}` : "");
}

// Where things stand with an organization: nobody said no yet (R17), or the day they did.
export function standing(org) {
  if (org.status === "watching") return "We haven’t talked about a job";
  return org.rejected_on ? `They said no on ${day(org.rejected_on)}` : "";
}
