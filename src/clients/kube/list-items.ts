/**
 * Splits a Kubernetes list answer (`{"kind":"PodList","metadata":{...},"items":[{...},...]}`) into
 * its items as the text arrives, so a list of many thousand objects is taken in one item at a time
 * instead of as one string and one parsed tree of the whole answer.
 *
 * `push` takes the next piece of text and returns the items it completed, each as its own JSON text;
 * `end` returns the rest of the answer with `"items":[]` (its metadata: resourceVersion, continue) and
 * throws a ListItemsError when the text ended inside a value. Only the structure is followed here
 * (strings, escapes, nesting); each item's text and the rest are parsed by JSON.parse, which rejects
 * what is not JSON.
 */

export class ListItemsError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const COMMA = 0x2c;

export class ListItemSplitter {
  /** Nesting: 0 outside the answer, 1 in its top object, 2 in a value under it (the items array), ... */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last top-level string read (a key, when a colon and a value follow), pieces while it spans texts. */
  private key = '';
  private keyParts: string[] | undefined;
  /** In the top-level `items` array. */
  private inItems = false;
  /** The item being read (its pieces so far), when inside one. */
  private item: string[] | undefined;
  private itemChars = 0;
  /** The answer without its items. */
  private readonly head: string[] = [];
  private headChars = 0;

  constructor(private readonly maxItemChars = 64 * 1024 * 1024) {}

  push(text: string): string[] {
    const done: string[] = [];
    let headFrom = this.inItems ? -1 : 0;
    let itemFrom = this.item ? 0 : -1;
    let keyFrom = this.keyParts ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyParts) {
            this.keyParts.push(text.slice(keyFrom, i));
            this.key = this.keyParts.join('');
            this.keyParts = undefined;
            keyFrom = -1;
          }
        }
        continue;
      }
      if (this.inItems && this.depth === 2 && !isBlank(c) && c !== COMMA && c !== OPEN_BRACE && c !== OPEN_BRACKET && c !== CLOSE_BRACKET)
        throw new ListItemsError('an item of the list is not an object');
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1) {
          this.keyParts = [];
          keyFrom = i + 1;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth === 1 && c === OPEN_BRACKET && this.key === 'items') {
          this.inItems = true;
          this.head.push(text.slice(headFrom, i + 1));
          headFrom = -1;
        } else if (this.inItems && this.depth === 2) {
          this.item = [];
          this.itemChars = 0;
          itemFrom = i;
        }
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) throw new ListItemsError('a closing bracket without its opening one');
        if (this.inItems && this.depth === 2 && this.item) {
          this.item.push(text.slice(itemFrom, i + 1));
          done.push(this.item.join(''));
          this.item = undefined;
          itemFrom = -1;
        } else if (this.inItems && this.depth === 1) {
          this.inItems = false;
          headFrom = i;
        }
      } else if (this.depth === 1 && c !== COLON && c !== COMMA && !isBlank(c)) {
        this.key = ''; // a number, true, false or null at the top: no key is being read
      }
    }
    if (this.keyParts && keyFrom >= 0) this.keyParts.push(text.slice(keyFrom));
    if (headFrom >= 0) {
      const rest = text.slice(headFrom);
      this.headChars += rest.length;
      if (this.headChars > this.maxItemChars) throw new ListItemsError(`more than ${this.maxItemChars} characters outside the items`);
      this.head.push(rest);
    }
    if (this.item && itemFrom >= 0) {
      const rest = text.slice(itemFrom);
      this.itemChars += rest.length;
      if (this.itemChars > this.maxItemChars) throw new ListItemsError(`an item longer than ${this.maxItemChars} characters`);
      this.item.push(rest);
    }
    return done;
  }

  /** The answer without its items (`"items":[]`); throws when the text stopped inside a value. */
  end(): string {
    if (this.depth !== 0 || this.inString) throw new ListItemsError('the answer ends inside a value (truncated)');
    return this.head.join('');
  }
}
