// pops completion bash|zsh|fish: the completion script for a shell
// (docs/completion.md). The script asks pops what to offer on every Tab
// (`pops __complete`), which works it out from the command tree and the store.
import { arg, defineCommand } from '../shell/command.js';
import { oneOf } from '../shell/parsers.js';
import { SHELLS, completionScript } from '../shell/completion-scripts.js';

export default defineCommand({
  name: 'completion',
  summary: 'print the shell completion script for bash, zsh or fish',
  args: [arg('shell', 'bash, zsh or fish', oneOf(SHELLS), SHELLS)],
  options: {},
  notes: [
    'Install (then open a new shell):',
    '  bash  pops completion bash > ~/.local/share/bash-completion/completions/pops',
    "        (or: echo 'source <(pops completion bash)' >> ~/.bashrc)",
    '  zsh   pops completion zsh > "${fpath[1]}/_pops"',
    "        (or: echo 'source <(pops completion zsh)' >> ~/.zshrc, after compinit)",
    '  fish  pops completion fish > ~/.config/fish/completions/pops.fish',
    'Group names and account numbers come from the store of --db or POPS_DB on the line or in the environment.',
  ].join('\n'),
  examples: ['pops completion bash > ~/.local/share/bash-completion/completions/pops', 'source <(pops completion zsh)'],
  run(opts, deps) {
    deps.io.out(completionScript(opts.shell));
  },
});
