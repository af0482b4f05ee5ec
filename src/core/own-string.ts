/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 keeps substrings of 13 or
 * more characters as slices of their parent, so a container name kept from a parsed manifest would
 * keep the whole file's text alive; data kept past one file goes through this.
 */
export function ownString(s: string): string {
  // Slicing a concatenation flattens it into a new string first: the result refers to that copy
  // (one character longer), not to the text `s` was cut from. Several times faster than a JSON round trip.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Strings of their own (`ownString`), one copy of each: the first `limit` different strings are
 * remembered, and a string equal to one of them is that one (data kept to the end of a large input
 * repeats itself: the same message for every workload's container of the same name). Past the
 * limit, each string is copied.
 */
export class SharedStrings {
  private readonly seen = new Map<string, string>();
  constructor(private readonly limit = 4096) {}

  own(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    const mine = ownString(s);
    if (this.seen.size < this.limit) this.seen.set(mine, mine);
    return mine;
  }
}
