// The scripts of `pops completion bash|zsh|fish` (docs/completion.md): a few
// lines each that, on every Tab, ask `pops __complete` (shell/completion.ts)
// what to offer and hand it to the shell.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The script for `pops completion <shell>`: source it, or put it where the shell looks (docs/completion.md). */
export function completionScript(shell: Shell): string {
  return SCRIPTS[shell];
}

const SCRIPTS: Record<Shell, string> = {
  bash: `# pops completion for bash (docs/completion.md): source it from ~/.bashrc, or save it as
# ~/.local/share/bash-completion/completions/pops
_pops_complete() {
  local out
  COMPREPLY=()
  out=$(command pops __complete bash --line "$COMP_LINE" --point "$COMP_POINT" 2>/dev/null) || return 0
  case $out in
    '') ;;
    :files)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "\${COMP_WORDS[COMP_CWORD]}") ;;
    :raw*) mapfile -t COMPREPLY < <(printf '%s\\n' "\${out#:raw$'\\n'}") ;;
    *) mapfile -t COMPREPLY <<<"$out" ;;
  esac
  return 0
}
complete -F _pops_complete pops
`,
  zsh: `#compdef pops
# pops completion for zsh (docs/completion.md): save it as _pops in a folder of your fpath,
# or source it from ~/.zshrc after compinit
_pops() {
  local out
  local -a lines
  # (inside a quote, zsh gives the word without it, and says so in compstate[quote])
  out=$(command pops __complete zsh --line "\${BUFFER[1,CURSOR]}" \${compstate[quote]:+--quoted} 2>/dev/null) || return 0
  [[ -z $out ]] && return 0
  lines=("\${(@f)out}")
  case $lines[1] in
    :files) compset -P '*='; _files ;;
    :raw) compadd -- "\${(@)lines[2,-1]}" ;;
    *) compadd -Q -U -- "\${lines[@]}" ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _pops "$@"
else
  compdef _pops pops
fi
`,
  fish: `# pops completion for fish (docs/completion.md): save it as ~/.config/fish/completions/pops.fish
function __pops_complete
  set -l out (command pops __complete fish --line (commandline -cp) 2>/dev/null)
  if test "$out" = ":files"
    set -l token (commandline -ct)
    # --out=<path>: complete the path after the =, keep what is before it
    set -l before (string match -r -- '^--[^=]*=' $token)
    for path in (__fish_complete_path (string replace -r -- '^--[^=]*=' '' $token))
      printf '%s%s\\n' "$before" $path
    end
    return
  end
  printf '%s\\n' $out
end
complete -c pops -f -a '(__pops_complete)'
`,
};
