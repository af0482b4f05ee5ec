import type { ClusterModel } from './cluster/cluster-model.js';
import { withoutDuplicates, type DocPath, type Finding } from './finding.js';
import { parseManifest, type ParsedFile } from './manifest/parse-manifest.js';
import { objectIdentity, readAs } from './manifest/kinds.js';
import { isCoreService } from './manifest/pod-template.js';
import { locateFindings } from './manifest/locate.js';
import { positionOf, type FieldPositions } from './manifest/fast-yaml.js';
import { LineIndex } from './manifest/line-index.js';
import { explainYaml11Scalars } from './manifest/written-scalar.js';
import { loadYamlDocuments, stripBom } from './manifest/yaml-load.js';
import { isKustomizationFile, kustomizationRefs, normalizePath, type PatchList } from './manifest/kustomization.js';
import { STDIN_NAME } from './manifest/stdin.js';
import type { ManifestResource } from './manifest/resource.js';
import { missingName, schemaFindings } from './schema/schema-findings.js';
import { ownString, SharedStrings } from './own-string.js';
import { ManifestValidator, type StaticPodFile } from './validate-manifests.js';

export interface ManifestFileInput {
  file: string;
  text: string;
  /** A file of a --static-pods-config folder (checked as the scheduler reads it). */
  staticPodFile: boolean;
  /** Its bytes were not valid UTF-8 (each bad sequence is U+FFFD in `text`). */
  notUtf8?: boolean;
}

export interface CheckedResourceInfo {
  file: string;
  /** Which document of the file (0-based). */
  docIndex?: number;
  kind: string;
  namespace?: string;
  name: string;
  skipped?: boolean;
}

export interface CheckResult {
  /** Every finding, with line/column wherever the document has the field. */
  findings: Finding[];
  /** Resources checked (pod-bearing kinds and Services) and other kinds read but not checked. */
  checked: number;
  /** Of `checked`, custom resources read by their pod template (Argo Rollouts, Knative Services...). */
  custom: number;
  skipped: number;
  resources: CheckedResourceInfo[];
}

/**
 * validate's pure pipeline, one file at a time: parse (positions are not kept), check structure and
 * the per-pod k8sm rules, locate those findings while the file's text is at hand, then let the file
 * go. Only Services, a compact form of each running pod, and the texts of files the final rules may
 * report on are kept; `finish` runs the rules that need the whole input (Services against the pods
 * they select, static pods). Memory stays flat however many files stream through.
 */
export class ManifestChecker {
  private validator: ManifestValidator;
  private readonly validatorOpts: { static: boolean; staticPodFiles: StaticPodFile[] };
  /**
   * Where each object (API group, kind, namespace, name) was defined last: an index into
   * `definedFile` (into `definedFiles`) and `definedDoc`, numbers rather than an object per entry
   * (the all-findings corpus defines 20,000 objects, and each object kept is copied by the young
   * generation's garbage collector).
   */
  private readonly defined = new Map<string, number>();
  private readonly definedFiles: string[] = [];
  private readonly definedFile: number[] = [];
  private readonly definedDoc: number[] = [];
  private readonly findings: Finding[] = [];
  private readonly messages = new SharedStrings();
  private readonly infos: CheckedResourceInfo[] = [];
  private readonly keptTexts = new Map<string, string>();
  /** How to locate in each file the final rules may report on (document count or JSON offsets), so no second parse is needed. */
  private readonly locateHints = new Map<string, LocateHow>();
  /**
   * Where the Service rules' findings will point, noted while a file read in one pass has its
   * positions, so that its text need not be read again: by file, numbers only (nothing for the
   * garbage collector to trace), four per place: document, which field (`placeCode`), line, column.
   */
  private readonly servicePlaces = new Map<string, number[]>();
  private readonly parsedStatic = new Map<ManifestFileInput, ParsedFile>();
  private readonly model: ClusterModel;
  private readonly staticFileNames = new Set<string>();
  private checked = 0;
  private custom = 0;
  private skipped = 0;
  private filesSeen = 0;
  /** Files the kustomizations read so far name as patches (normalised name), and resources they give selectors. */
  private readonly patches = new Map<string, { list: PatchList; by: string }>();
  private readonly selectorFilled = new Set<string>();
  /** Files given with -f that hold something (objects, or text kubectl would reject), and the names of empty ones. */
  private filled = 0;
  private readonly emptyNames: string[] = [];
  private emptyCount = 0;

  /**
   * - `staticFiles`: a --static-pods-config folder's files, known up front (they raise every pod's
   *   executor overhead).
   * - `listResources`: keep a record of every resource read (JUnit lists clean ones as passing tests).
   * - `reread`: reads a file again to locate the final rules' findings in it; when given, texts are
   *   not kept (except standard input's, `<stdin>`), so memory does not grow with the input.
   * - `perFile`: every file is checked on its own (a tree of independent examples): Services are
   *   matched with the pods of their own file, and an object defined in several files is no repeat.
   */
  constructor(
    model: ClusterModel,
    private readonly opts: {
      static?: boolean;
      staticFiles?: ReadonlyArray<ManifestFileInput>;
      listResources?: boolean;
      reread?: (file: string) => string | undefined;
      perFile?: boolean;
    } = {},
  ) {
    const staticPodFiles: StaticPodFile[] = [];
    for (const input of opts.staticFiles ?? []) {
      const parsed = parseManifest(input.text, input.file);
      this.parsedStatic.set(input, parsed);
      staticPodFiles.push({
        file: input.file,
        resources: parsed.resources,
        documents: parsed.documents,
        ...(parsed.findings.some((f) => f.severity === 'error') ? { unreadable: true } : {}),
      });
    }
    this.validatorOpts = { static: opts.static ?? false, staticPodFiles };
    for (const f of staticPodFiles) this.staticFileNames.add(f.file);
    this.model = model;
    this.validator = new ManifestValidator(model, this.validatorOpts);
    for (const input of opts.staticFiles ?? []) this.addFile(input);
  }

  get files(): number {
    return this.filesSeen;
  }

  addFile(input: ManifestFileInput): void {
    this.filesSeen++;
    const parsed = this.parsedStatic.get(input) ?? parseManifest(input.text, input.file);
    this.parsedStatic.delete(input);
    if (!input.staticPodFile) {
      if (!parsed.empty) this.filled++;
      else if (this.emptyCount++ < 3) this.emptyNames.push(input.file);
    }
    if (!input.staticPodFile && isKustomizationFile(input.file)) return this.addKustomization(input, parsed);
    const patch = this.patches.size > 0 && !input.staticPodFile ? this.patches.get(normalizePath(input.file)) : undefined;
    if (patch !== undefined) return this.addPatch(input, parsed, patch);
    const selectorFilled = this.selectorFilled.size > 0 && this.selectorFilled.has(normalizePath(input.file));
    const fileFindings = parsed.findings.slice();
    if (input.notUtf8) {
      const bad = notUtf8Finding(parsed);
      if (bad) fileFindings.push(bad);
    }
    const read: ManifestResource[] = [];
    // The number of each object's identity (`noteDefinition`), handed to the rules so that they need not make it again.
    const ids: number[] | undefined = !this.opts.perFile && !input.staticPodFile ? [] : undefined;
    let hasService = false;
    for (const r of parsed.resources) {
      const as = readAs(r);
      const isRead = as !== undefined || input.staticPodFile;
      if (this.opts.listResources) {
        this.infos.push({
          file: r.file,
          docIndex: r.docIndex,
          kind: ownString(r.kind),
          namespace: ownString(r.namespace),
          name: ownString(r.name),
          ...(isRead ? {} : { skipped: true }),
        });
      }
      if (!isRead) {
        this.skipped++;
        continue;
      }
      this.checked++;
      if (as === 'service') hasService = true;
      read.push(r);
      if (ids !== undefined) ids.push(this.noteDefinition(r, fileFindings));
      // A custom resource's fields are its own (only k8sm's rules read its pod template).
      if (as === 'custom') {
        this.custom++;
        const unnamed = missingName(r);
        if (unnamed) fileFindings.push(unnamed);
      } else for (const f of schemaFindings(r, { selectorFilled })) fileFindings.push(f);
    }
    for (const f of this.validator.add(read, ids)) fileFindings.push(f);
    const lines = locate(parsed.text, fileFindings, howToLocate(parsed), parsed.positions);
    if (hasService && parsed.positions !== undefined) this.noteServicePlaces(parsed.text, parsed.positions, read, lines);
    for (const f of fileFindings) this.findings.push(ownFinding(f, this.messages));
    const mayGetFinalFindings = hasService || input.staticPodFile || this.opts.static;
    if (mayGetFinalFindings) {
      this.locateHints.set(input.file, howToLocate(parsed));
      if (!this.opts.reread || input.file === STDIN_NAME || this.opts.perFile) this.keptTexts.set(input.file, parsed.text);
    }
    if (this.opts.perFile && !input.staticPodFile && !this.opts.static) {
      // This file's Services against this file's pods, then a fresh start for the next file.
      this.runFinalRules();
      this.validator = new ManifestValidator(this.model, this.validatorOpts);
    }
  }

  /**
   * Where the Service rules (run at the end, over the whole input) may point in this file's Services:
   * `spec.selector` and each port's `targetPort` and `port`. A few entries per Service, kept instead
   * of the file's text.
   */
  private noteServicePlaces(text: string, positions: FieldPositions, read: ReadonlyArray<ManifestResource>, known: LineIndex | undefined): void {
    let lines = known;
    let places: number[] | undefined;
    const note = (r: ManifestResource, path: DocPath, code: number): void => {
      const offset = positionOf(positions, r.docIndex, path);
      if (offset === undefined) return;
      lines ??= new LineIndex(text);
      const at = lines.at(offset);
      if (places === undefined) {
        places = this.servicePlaces.get(r.file);
        if (places === undefined) this.servicePlaces.set(r.file, (places = []));
      }
      places.push(r.docIndex, code, at.line, at.column);
    };
    for (const r of read) {
      // Services in a List (a base path) are located from the text at the end, as before.
      if (r.basePath.length > 0 || !isCoreService(r)) continue;
      note(r, ['spec', 'selector'], -1);
      const s = r.object.spec;
      const ports = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).ports : undefined;
      if (!Array.isArray(ports)) continue;
      for (let i = 0; i < ports.length; i++) {
        note(r, ['spec', 'ports', i, 'targetPort'], 2 * i);
        note(r, ['spec', 'ports', i, 'port'], 2 * i + 1);
      }
    }
  }

  /**
   * Remembers where an object was defined; a later definition of the same object (API group, kind,
   * namespace, name) replaces the earlier one as `kubectl apply` of this input would, and says so.
   * Returns the number of the object's identity (the same for every definition of it), -1 for an
   * object without one.
   */
  private noteDefinition(r: ManifestResource, out: Finding[]): number {
    const id = objectIdentity(r);
    if (id === undefined) return -1;
    const at = this.defined.get(id);
    const files = this.definedFiles;
    if (files[files.length - 1] !== r.file) files.push(r.file);
    if (at === undefined) {
      const slot = this.definedFile.length;
      this.defined.set(ownString(id), slot);
      this.definedFile.push(files.length - 1);
      this.definedDoc.push(r.docIndex);
      return slot;
    }
    const earlier = { file: files[this.definedFile[at]!]!, docIndex: this.definedDoc[at]! };
    this.definedFile[at] = files.length - 1;
    this.definedDoc[at] = r.docIndex;
    const where = earlier.file === r.file ? `document ${earlier.docIndex + 1} of this file` : `${earlier.file} (document ${earlier.docIndex + 1})`;
    out.push({
      rule: 'object-redefined',
      severity: 'info',
      message: `${r.kind} ${r.namespace || 'default'}/${r.name} is also defined in ${where}: kubectl apply of this input applies this definition last, so it replaces that one, and Services are matched with this one only. If the files are independent examples, check them one by one with --per-file.`,
      file: r.file,
      docIndex: r.docIndex,
      path: r.basePath,
      kind: r.kind,
      namespace: r.namespace || 'default',
      name: r.name,
    });
    return at;
  }

  /** Every object of a file counted as read but not checked. */
  private skipAll(parsed: ParsedFile, kindIfNone?: string): void {
    if (parsed.resources.length === 0 && kindIfNone !== undefined) {
      this.skipped++;
      if (this.opts.listResources) this.infos.push({ file: parsed.file, docIndex: 0, kind: kindIfNone, name: '', skipped: true });
    }
    for (const r of parsed.resources) {
      this.skipped++;
      if (this.opts.listResources)
        this.infos.push({
          file: r.file,
          docIndex: r.docIndex,
          kind: ownString(r.kind),
          namespace: ownString(r.namespace),
          name: ownString(r.name),
          skipped: true,
        });
    }
  }

  /**
   * A kustomization.yaml: kustomize's configuration (apiVersion and kind may be left out), skipped;
   * the files it names as patches are read as patches when they come (the reader hands a folder's
   * kustomization over before its other files).
   */
  private addKustomization(input: ManifestFileInput, parsed: ParsedFile): void {
    const findings = parsed.findings.filter((f) => f.rule !== 'missing-kind' && f.rule !== 'missing-api-version');
    let doc: unknown;
    try {
      doc = parsed.format === 'yaml' ? loadYamlDocuments(parsed.text)[0] : parsed.findings.length === 0 ? JSON.parse(parsed.text) : undefined;
    } catch {
      doc = undefined; // a syntax error, already reported
    }
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
      const refs = kustomizationRefs(input.file, doc as Record<string, unknown>);
      for (const p of refs.patches) this.patches.set(p.file, { list: p.list, by: input.file });
      for (const r of refs.selectorFilled) this.selectorFilled.add(r);
    }
    this.skipAll(parsed, 'Kustomization');
    locate(parsed.text, findings, howToLocate(parsed), parsed.positions);
    for (const f of findings) this.findings.push(ownFinding(f, this.messages));
  }

  /** A file a kustomization names as a patch: only whether it can be read at all is checked. */
  private addPatch(input: ManifestFileInput, parsed: ParsedFile, patch: { list: PatchList; by: string }): void {
    const readable = parsed.findings.filter((f) => READ_RULES.has(f.rule));
    const dir = patch.by.replace(/[\\/][^\\/]*$/, '') || '.';
    readable.push({
      rule: 'kustomize-patch',
      severity: 'info',
      message: `${input.file} is a Kustomize patch (named under ${patch.list} in ${patch.by}): a partial object that kustomize merges into its resources, so it is not checked on its own; check what kustomize builds: kubectl kustomize ${dir} | k8smctl validate -f -`,
      file: input.file,
      line: 1,
      column: 1,
    });
    this.skipAll(parsed);
    for (const f of readable) this.findings.push(ownFinding(f, this.messages));
  }

  /**
   * When every file given with -f (or standard input) was empty (nothing, whitespace, comments or
   * bare `---`), the error to print: kubectl refuses such input ("no objects passed to apply"), and a
   * failed `kubectl kustomize ... | k8smctl validate -f -` must not pass. Undefined otherwise.
   */
  emptyInputError(): string | undefined {
    if (this.filled > 0 || this.emptyCount === 0) return undefined;
    const what = 'empty (nothing but whitespace, comments or ---)';
    if (this.emptyCount === 1) {
      const pipe = this.emptyNames[0] === STDIN_NAME ? '; if it came through a pipe, check the command that produced it' : '';
      return `${this.emptyNames[0]} holds no objects: it is ${what}, so there is nothing to check${pipe}`;
    }
    const more = this.emptyCount > this.emptyNames.length ? ` and ${this.emptyCount - this.emptyNames.length} more` : '';
    return `the input holds no objects: ${this.emptyNames.join(', ')}${more} are ${what}, so there is nothing to check`;
  }

  /** Runs the rules over the whole input; their findings are located in the kept texts. */
  finish(): CheckResult {
    if (!this.opts.perFile || this.opts.static || this.filesSeen === (this.opts.staticFiles?.length ?? 0)) this.runFinalRules();
    this.keptTexts.clear();
    this.locateHints.clear();
    this.servicePlaces.clear();
    return { findings: withoutDuplicates(this.findings), checked: this.checked, custom: this.custom, skipped: this.skipped, resources: this.infos };
  }

  /** The rules over the input seen so far (Services against the pods they select, static pods); findings located in the kept texts. */
  private runFinalRules(): void {
    // These rules report on Services and static pods, whose texts were kept.
    const byFile = new Map<string, Finding[]>();
    for (const f of this.validator.finish()) {
      this.findings.push(f);
      if (f.file === undefined) continue;
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    for (const [file, list] of byFile) {
      const places = this.servicePlaces.get(file);
      let all = true;
      for (const f of list) {
        if (f.line !== undefined || f.path === undefined) continue;
        const code = places !== undefined && f.docIndex !== undefined && f.scalarField === undefined ? placeCode(f.path) : undefined;
        let found = false;
        if (code !== undefined) {
          for (let i = 0; i < places!.length; i += 4) {
            if (places![i] === f.docIndex && places![i + 1] === code) {
              f.line = places![i + 2];
              f.column = places![i + 3];
              found = true;
              break;
            }
          }
        }
        if (!found) all = false;
      }
      if (all) continue;
      const held = this.keptTexts.get(file);
      const text = held ?? this.opts.reread?.(file);
      if (text !== undefined) locate(held ?? stripBom(text), list, this.locateHints.get(file));
    }
    if (this.opts.perFile) {
      // Only the static files' texts are needed again.
      for (const file of this.keptTexts.keys()) if (!this.staticFileNames.has(file)) this.keptTexts.delete(file);
    }
  }
}

/**
 * A finding kept past its file, made to share no memory with the file's text: names, keys of its
 * path, and messages built from them are substrings of that text (or concatenations holding them),
 * and each would keep the whole text alive until the end. Its path, once it gave the line and column,
 * is not kept. What is kept past a file is what makes the work of the young generation's garbage
 * collector grow (it copies every object that is still alive, twice), so kept messages are shared:
 * most findings of an input say the same thing as others (a default set on a container of the same
 * name, in every workload).
 */
function ownFinding(f: Finding, messages: SharedStrings): Finding {
  f.message = messages.own(f.message);
  if (f.line !== undefined && f.path !== undefined) f.path = undefined;
  if (f.kind !== undefined) f.kind = ownString(f.kind);
  if (f.namespace !== undefined) f.namespace = ownString(f.namespace);
  if (f.name !== undefined) f.name = ownString(f.name);
  if (f.container !== undefined) f.container = ownString(f.container);
  if (f.object !== undefined) f.object = ownString(f.object);
  if (f.scalarField !== undefined) f.scalarField = ownString(f.scalarField);
  if (f.path !== undefined && f.path.some((k) => typeof k === 'string' && k.length >= 13))
    f.path = f.path.map((k) => (typeof k === 'string' ? ownString(k) : k));
  return f;
}

/** Findings about whether a file can be read at all (kept for Kustomize patches). */
const READ_RULES = new Set(['binary-file', 'helm-template', 'yaml-syntax', 'json-syntax', 'yaml-aliases']);

type LocateHow = { documents?: number; jsonOffsets?: ReadonlyArray<number> };

function howToLocate(parsed: ParsedFile): LocateHow {
  return parsed.format === 'yaml' ? { documents: parsed.documents } : { jsonOffsets: parsed.jsonOffsets ?? [] };
}

/** Which Service field a path names, as noteServicePlaces numbers it: `spec.selector` -1, port i's `targetPort` 2i, its `port` 2i + 1. */
function placeCode(path: DocPath): number | undefined {
  if (path[0] !== 'spec') return undefined;
  if (path.length === 2 && path[1] === 'selector') return -1;
  const i = path[2];
  if (path.length !== 4 || path[1] !== 'ports' || typeof i !== 'number') return undefined;
  return path[3] === 'targetPort' ? 2 * i : path[3] === 'port' ? 2 * i + 1 : undefined;
}

/**
 * Fills line/column of the findings that lack one: from the positions of a one-pass read when there
 * are some, else (or for what they do not cover) one positional read of the text. Returns the line
 * index it made, if any.
 */
function locate(text: string, list: Finding[], how: LocateHow = {}, positions?: FieldPositions): LineIndex | undefined {
  let lines: LineIndex | undefined;
  let rest = false;
  for (const f of list) {
    if (f.line !== undefined || f.path === undefined) continue;
    const offset = positions !== undefined && f.docIndex !== undefined ? positionOf(positions, f.docIndex, f.path) : undefined;
    if (offset === undefined) {
      rest = true;
      continue;
    }
    lines ??= new LineIndex(text);
    const at = lines.at(offset);
    f.line = at.line;
    f.column = at.column;
  }
  if (rest) locateFindings(text, list, how);
  if (list.some((f) => f.scalarField !== undefined)) explainYaml11Scalars(text, (lines ??= new LineIndex(text)), list);
  return lines;
}

/**
 * YAML whose bytes are not valid UTF-8: kubectl's YAML reader refuses the whole file ("yaml: invalid
 * leading UTF-8 octet"), a comment included. Located at the first bad sequence. JSON is read by a
 * decoder that puts U+FFFD in their place, so it is no error there; nor is a file already reported as
 * not text.
 */
function notUtf8Finding(parsed: ParsedFile): Finding | undefined {
  if (parsed.format !== 'yaml' || parsed.findings.some((f) => f.rule === 'binary-file')) return undefined;
  const at = parsed.text.indexOf('\ufffd');
  if (at === -1) return undefined;
  const { line, column } = new LineIndex(parsed.text).at(at);
  return {
    rule: 'yaml-syntax',
    severity: 'error',
    message: `${parsed.file} is not valid UTF-8 (the first bad byte is here): kubectl refuses the whole file ("yaml: invalid leading UTF-8 octet"); save it as UTF-8`,
    file: parsed.file,
    line,
    column,
  };
}
