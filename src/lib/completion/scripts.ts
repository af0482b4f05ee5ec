/**
 * The shell scripts `k8smctl completion bash|zsh|fish` prints. Each one is a thin function that
 * runs `k8smctl __complete <words before the cursor> <word under the cursor>` and hands the answer
 * to the shell: candidate lines (`value<TAB>description`), then `:<directive>` (bits: 1 error,
 * 2 no space, 4 no file names, 8 the candidates are file extensions, 16 directories only). Every
 * decision is made by k8smctl itself, so the scripts never need regenerating when commands change.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function ident(program: string): string {
  return program.replace(/[^A-Za-z0-9_]/g, '_');
}

function bash(program: string): string {
  const fn = `__${ident(program)}_complete`;
  return `# bash completion for ${program}
# Load it with:  source <(${program} completion bash)    (bash 4.1 or later)

${fn}() {
    local -a words=() out=() values=()
    local i tok rest trimmed cur directive=0 line lead breaks ext
    # COMP_WORDS splits "--output=json" and "host:port" at '=' and ':' (COMP_WORDBREAKS): put the
    # pieces that touch in the command line back together, so ${program} sees the words as typed.
    rest=\${COMP_LINE:0:COMP_POINT}
    for (( i = 0; i <= COMP_CWORD; i++ )); do
        tok=\${COMP_WORDS[i]}
        trimmed=\${rest#"\${rest%%[![:space:]]*}"}
        if (( i > 0 && \${#trimmed} == \${#rest} )); then
            words[\${#words[@]}-1]+=$tok
        else
            words+=("$tok")
        fi
        rest=\${trimmed#"$tok"}
    done
    cur=\${words[\${#words[@]}-1]}

    mapfile -t out < <("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null </dev/null)
    if (( \${#out[@]} )) && [[ \${out[\${#out[@]}-1]} =~ ^:([0-9]+)$ ]]; then
        directive=\${BASH_REMATCH[1]}
        unset "out[\${#out[@]}-1]"
    fi
    COMPREPLY=()
    (( directive & 1 )) && return 0

    if (( directive & 8 )); then
        # Files with these extensions, and directories to walk into.
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        for ext in "\${out[@]}"; do
            mapfile -t -O \${#COMPREPLY[@]} COMPREPLY < <(compgen -f -X "!*.$ext" -- "$cur")
        done
        return 0
    fi
    if (( directive & 16 )); then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0
    fi

    for line in "\${out[@]}"; do
        values+=("\${line%%$'\\t'*}")
    done
    if (( \${#values[@]} == 0 )); then
        if (( !(directive & 4) )); then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    # bash replaces only what follows the last '=' or ':' of the word (when COMP_WORDBREAKS has them).
    breaks=\${COMP_WORDBREAKS//[^=:]/}
    if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
        lead=\${cur%"\${cur##*["$breaks"]}"}
        for i in "\${!values[@]}"; do
            values[i]=\${values[i]#"$lead"}
        done
    fi
    COMPREPLY=("\${values[@]}")
}

complete -F ${fn} ${program}
`;
}

function zsh(program: string): string {
  const fn = `_${ident(program)}`;
  return `#compdef ${program}
# zsh completion for ${program}
# Load it with:  source <(${program} completion zsh)     (after compinit)
# or save it as _${program} in a directory of $fpath.

${fn}() {
    local -a lines described opts
    local out line value desc directive=0
    out=$(\${words[1]} __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null </dev/null)
    lines=("\${(@f)out}")
    if [[ \${lines[-1]} == :<-> ]]; then
        directive=\${lines[-1]#:}
        lines[-1]=()
    fi
    lines=("\${(@)lines:#}")
    (( directive & 1 )) && return 1

    if (( directive & 8 )); then
        _files -g "*.(\${(j:|:)lines})"
        return
    fi
    if (( directive & 16 )); then
        _files -/
        return
    fi
    if (( \${#lines} == 0 )); then
        (( directive & 4 )) || _files
        return
    fi
    for line in "\${lines[@]}"; do
        value=\${line%%$'\\t'*}
        desc=''
        [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
        described+=("\${value//:/\\\\:}\${desc:+:$desc}")
    done
    (( directive & 2 )) && opts+=(-S '')
    _describe -t values '${program}' described "\${opts[@]}"
}

if [[ \${funcstack[1]} == ${fn} ]]; then
    # Autoloaded from $fpath: this file is the body of ${fn}; complete now.
    ${fn} "$@"
else
    compdef ${fn} ${program}
fi
`;
}

function fish(program: string): string {
  const fn = `__${ident(program)}_complete`;
  return `# fish completion for ${program}
# Load it with:  ${program} completion fish | source    (fish 3.3 or later)

function ${fn}
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] "$cur" 2>/dev/null </dev/null)
    set -l directive 0
    if test (count $out) -gt 0; and string match -qr '^:[0-9]+$' -- $out[-1]
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    test (math "bitand($directive, 1)") -ne 0; and return

    if test (math "bitand($directive, 8)") -ne 0
        # Files with these extensions, and directories to walk into.
        set -l pattern '/'
        for ext in $out
            set pattern "$pattern|\\\\.$ext"
        end
        __fish_complete_path "$cur" | string match -r -- "^[^\\t]*(?:$pattern)(?:\\t.*)?\\$"
        return
    end
    if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories "$cur"
        return
    end
    if test (count $out) -eq 0
        test (math "bitand($directive, 4)") -eq 0; and __fish_complete_path "$cur"
        return
    end
    printf '%s\\n' $out
end

complete -c ${program} -f -a '(${fn})'
`;
}

/** The completion script for `shell`, completing `program` (as found on $PATH). */
export function completionScript(shell: Shell, program = 'k8smctl'): string {
  switch (shell) {
    case 'bash':
      return bash(program);
    case 'zsh':
      return zsh(program);
    case 'fish':
      return fish(program);
  }
}
