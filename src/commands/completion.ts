// `cred completion bash|zsh|fish`: prints a completion script built by walking the commander program
// itself (commands, their options and arguments, option choices), so the script cannot drift from
// the real flags. Provider ids are not baked in: the script asks `cred __complete providers` (a hidden
// command that only loads the registry, so it is as quick as `cred providers`), so providers from a
// config file or plugin complete too. docs/getting-started.md says how to install each script.
import { Argument, type Command, type Option } from 'commander';
import { UsageError } from '../errors.js';
import { quoteFish } from '../output/formats/fish.js';
import { quotePosix } from '../output/formats/posix.js';
import { quoteInput } from '../output/redact.js';
import type { CliContext } from './context.js';

const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** What the word in a position should be completed with. */
export type ValueKind =
  | { kind: 'provider' }
  | { kind: 'file' }
  | { kind: 'command' }
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'value' };

export interface OptionSpec {
  names: string[];
  description: string;
  /** Undefined for a flag that takes no value. */
  value?: ValueKind;
}

export interface ArgSpec {
  name: string;
  variadic: boolean;
  value: ValueKind;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: ArgSpec[];
}

export interface CompletionModel {
  global: OptionSpec[];
  commands: CommandSpec[];
}

const isHidden = (c: Command) => Boolean((c as unknown as { _hidden?: boolean })._hidden);

function valueKindOf(placeholder: string, name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices?.length) return { kind: 'choices', choices };
  if (/^providers?$/.test(name)) return { kind: 'provider' };
  if (/^(command|cmd)$/.test(name)) return { kind: 'command' };
  if (/path|file|dir/i.test(placeholder)) return { kind: 'file' };
  return { kind: 'value' };
}

function optionSpec(o: Option): OptionSpec | undefined {
  if (o.hidden) return undefined;
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  const spec: OptionSpec = { names, description: oneLine(o.description) };
  if (o.required || o.optional) {
    const placeholder = /[<[]([^>\]]*)[>\]]/.exec(o.flags)?.[1] ?? '';
    spec.value = valueKindOf(placeholder, (o.long ?? '').replace(/^--/, ''), o.argChoices);
  }
  return spec;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function optionsOf(cmd: Command): OptionSpec[] {
  const help = cmd.createHelp();
  return help
    .visibleOptions(cmd)
    .map(optionSpec)
    .filter((o): o is OptionSpec => Boolean(o));
}

/** Walks the program: visible commands, their options and arguments. */
function completionModel(program: Command): CompletionModel {
  const commands = program.commands
    .filter((c) => !isHidden(c))
    .map(
      (c): CommandSpec => ({
        name: c.name(),
        description: oneLine(c.description()),
        options: optionsOf(c),
        args: c.registeredArguments.map((a) => ({
          name: a.name(),
          variadic: a.variadic,
          value: valueKindOf(a.name(), a.name(), a.argChoices),
        })),
      }),
    );
  return { global: optionsOf(program), commands };
}

// ---- shared tables -------------------------------------------------------------------------------

function kindWord(v: ValueKind): string {
  return v.kind === 'choices' ? `choices:${v.choices.join(' ')}` : v.kind;
}

/** `[pattern, kind]` rows: which option takes which value, command-specific first, then global. */
function optionKindRows(m: CompletionModel): [string, string][] {
  const rows: [string, string][] = [];
  for (const c of m.commands) {
    for (const o of c.options) {
      if (o.value) for (const n of o.names) rows.push([`${c.name}:${n}`, kindWord(o.value)]);
    }
  }
  for (const o of m.global) if (o.value) for (const n of o.names) rows.push([`*:${n}`, kindWord(o.value)]);
  return rows;
}

/** `[pattern, kind]` rows for positional arguments: `cmd:N`, a variadic last one as `cmd:*`. */
function argKindRows(m: CompletionModel): [string, string][] {
  const rows: [string, string][] = [];
  for (const c of m.commands) {
    c.args.forEach((a, i) => {
      rows.push([`${c.name}:${i}`, kindWord(a.value)]);
      if (a.variadic) rows.push([`${c.name}:*`, a.value.kind === 'command' ? 'file' : kindWord(a.value)]);
    });
  }
  return rows;
}

/**
 * The word scan bash and zsh share (same syntax in both): finds the command, the option whose value
 * is being typed, whether `--` was seen, and how many operands came before the cursor.
 */
function scanWords(array: string, first: number, cursor: string): string {
  return `  for ((i = ${first}; i < ${cursor}; i++)); do
    w="\${${array}[i]}"
    if ((skip)); then
      skip=0
      [[ $prev == --config ]] && __cred_config=(--config "$w")
      continue
    fi
    prev="$w"
    if ((dashdash)); then npos=$((npos + 1)); continue; fi
    case "$w" in
      --) dashdash=1 ;;
      --*=*) ;;
      -*) [[ -n "$(__cred_opt_kind "$cmd" "$w")" ]] && skip=1 ;;
      *) if [[ -z $cmd ]]; then cmd="$w"; else npos=$((npos + 1)); fi ;;
    esac
  done
`;
}

function caseBody(rows: [string, string][], indent: string): string {
  return rows.map(([p, k]) => `${indent}${p}) echo ${quotePosix(k)} ;;`).join('\n');
}

// ---- bash ----------------------------------------------------------------------------------------

/** `__cred_opt_kind` and `__cred_arg_kind`: the same shell functions in bash and zsh. */
function kindFunctions(m: CompletionModel): string {
  return `__cred_opt_kind() {
  case "$1:$2" in
${caseBody(optionKindRows(m), '    ')}
  esac
}

__cred_arg_kind() {
  case "$1:$2" in
${caseBody(argKindRows(m), '    ')}
  esac
}
`;
}

function bashScript(m: CompletionModel): string {
  const commands = m.commands.map((c) => c.name).join(' ');
  const global = m.global.flatMap((o) => o.names).join(' ');
  const perCommand = m.commands
    .map((c) => `    ${c.name}) echo ${quotePosix(c.options.flatMap((o) => o.names).join(' '))} ;;`)
    .join('\n');
  return `# bash completion for cred — generated by \`cred completion bash\`.
# Load it now:   source <(cred completion bash)
# Or for good:   cred completion bash > ~/.local/share/bash-completion/completions/cred

__cred_commands=${quotePosix(commands)}
__cred_global_opts=${quotePosix(global)}

__cred_cmd_opts() {
  case "$1" in
${perCommand}
  esac
}

# The value an option takes: file, provider, command, choices:<words>, value; nothing for a flag.
${kindFunctions(m)}
__cred_complete_kind() {
  local kind="$1" cur="$2" bin="\${COMP_WORDS[0]}"
  [[ $bin == "~/"* ]] && bin="$HOME/\${bin#\\~/}"
  case "$kind" in
    provider)
      COMPREPLY=($(compgen -W "$("$bin" "\${__cred_config[@]}" __complete providers 2>/dev/null | cut -f1)" -- "$cur")) ;;
    file)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    command)
      COMPREPLY=($(compgen -c -- "$cur" | sort -u)) ;;
    choices:*)
      COMPREPLY=($(compgen -W "\${kind#choices:}" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_cred() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" prev="" w i skip=0 dashdash=0 npos=0
  __cred_config=()
${scanWords('COMP_WORDS', 1, 'COMP_CWORD')}  if ((skip)); then
    __cred_complete_kind "$(__cred_opt_kind "$cmd" "$prev")" "$cur"
  elif ((dashdash)); then
    __cred_complete_kind "$(__cred_arg_kind "$cmd" "$npos")" "$cur"
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$__cred_global_opts $(__cred_cmd_opts "$cmd")" -- "$cur"))
  elif [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "$__cred_commands" -- "$cur"))
  else
    __cred_complete_kind "$(__cred_arg_kind "$cmd" "$npos")" "$cur"
  fi
  return 0
}

complete -F _cred cred
`;
}

// ---- zsh -----------------------------------------------------------------------------------------

/** `name:description` for _describe (colons in the name escaped). */
const described = (name: string, description: string) =>
  quotePosix(`${name.replaceAll(':', '\\:')}:${description}`);

function zshScript(m: CompletionModel): string {
  const optLines = (opts: OptionSpec[]) =>
    opts.flatMap((o) => o.names.map((n) => described(n, o.description))).join(' ');
  const perCommand = m.commands.map((c) => `    ${c.name}) reply=(${optLines(c.options)}) ;;`).join('\n');
  const commands = m.commands.map((c) => described(c.name, c.description)).join(' ');
  return `#compdef cred
# zsh completion for cred — generated by \`cred completion zsh\`.
# Load it now:   source <(cred completion zsh)       (after compinit)
# Or for good:   cred completion zsh > "\${fpath[1]}/_cred"   (a folder on $fpath), then restart zsh

__cred_cmd_opts() {
  case "$1" in
${perCommand}
    *) reply=() ;;
  esac
}

${kindFunctions(m)}
__cred_complete_kind() {
  local kind="$1" bin="\${words[1]}"
  local -a ids choices
  case "$kind" in
    provider)
      ids=(\${(f)"$(\${~bin} "\${__cred_config[@]}" __complete providers 2>/dev/null)"})
      ids=(\${ids//$'\\t'/:})
      _describe -t providers 'provider' ids ;;
    file) _files ;;
    command) _command_names -e ;;
    choices:*)
      choices=(\${=kind#choices:})
      _describe -t values 'value' choices ;;
    *) _message 'value' ;;
  esac
}

_cred() {
  local cmd="" prev="" w i skip=0 dashdash=0 npos=0
  local -a reply opts
  typeset -ga __cred_config
  __cred_config=()
${scanWords('words', 2, 'CURRENT')}  local cur="\${words[CURRENT]}"
  if ((skip)); then
    __cred_complete_kind "$(__cred_opt_kind "$cmd" "$prev")"
  elif ((dashdash)); then
    __cred_complete_kind "$(__cred_arg_kind "$cmd" "$npos")"
  elif [[ $cur == -* ]]; then
    opts=(${optLines(m.global)})
    __cred_cmd_opts "$cmd"
    opts+=("\${reply[@]}")
    _describe -t options 'option' opts
  elif [[ -z $cmd ]]; then
    local -a cmds
    cmds=(${commands})
    _describe -t commands 'cred command' cmds
  else
    __cred_complete_kind "$(__cred_arg_kind "$cmd" "$npos")"
  fi
}

if [[ "\${funcstack[1]}" == _cred ]]; then
  _cred "$@"
else
  compdef _cred cred
fi
`;
}

// ---- fish ----------------------------------------------------------------------------------------

function fishCase(rows: [string, string][]): string {
  return rows.map(([p, k]) => `        case ${quoteFish(p)}\n            echo ${quoteFish(k)}`).join('\n');
}

function fishOption(o: OptionSpec, condition: string | undefined): string {
  const parts = ['complete -c cred'];
  if (condition) parts.push(`-n ${quoteFish(condition)}`);
  for (const n of o.names) parts.push(n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`);
  if (o.value) {
    const v = o.value;
    if (v.kind === 'file') parts.push('-r -F');
    else if (v.kind === 'provider') parts.push(`-x -a ${quoteFish('(__cred_providers)')}`);
    else if (v.kind === 'choices') parts.push(`-x -a ${quoteFish(v.choices.join(' '))}`);
    else if (v.kind === 'command') parts.push(`-x -a ${quoteFish('(__fish_complete_command)')}`);
    else parts.push('-x');
  }
  parts.push(`-d ${quoteFish(o.description)}`);
  return parts.join(' ');
}

function fishScript(m: CompletionModel): string {
  const lines: string[] = [];
  for (const o of m.global) lines.push(fishOption(o, undefined));
  for (const c of m.commands) {
    lines.push(`complete -c cred -n '__cred_want subcommand' -a ${c.name} -d ${quoteFish(c.description)}`);
    for (const o of c.options) lines.push(fishOption(o, `__cred_in ${c.name}`));
  }
  return `# fish completion for cred — generated by \`cred completion fish\`.
# Load it now:   cred completion fish | source
# Or for good:   cred completion fish > ~/.config/fish/completions/cred.fish

function __cred_opt_kind --argument-names cmd opt
    switch "$cmd:$opt"
${fishCase(optionKindRows(m))}
    end
end

function __cred_arg_kind --argument-names cmd n
    switch "$cmd:$n"
${fishCase(argKindRows(m))}
    end
end

# Prints four lines: the subcommand (or -), positional count, whether the current word is an
# option's value (1/0), and whether -- was seen (1/0).
function __cred_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmd -
    set -l npos 0
    set -l skip 0
    set -l dashdash 0
    for w in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if test $dashdash = 1
            set npos (math $npos + 1)
            continue
        end
        switch $w
            case --
                set dashdash 1
            case '--*=*'
            case '-*'
                set -l c $cmd
                test "$c" = - ; and set c ''
                set -l k (__cred_opt_kind "$c" $w)
                if test -n "$k"
                    set skip 1
                end
            case '*'
                if test "$cmd" = -
                    set cmd $w
                else
                    set npos (math $npos + 1)
                end
        end
    end
    printf '%s\\n' $cmd $npos $skip $dashdash
end

function __cred_in --argument-names name
    set -l s (__cred_state)
    test "$s[1]" = "$name"
end

# True when the word under the cursor is a positional that wants this kind (subcommand, provider, …).
function __cred_want --argument-names want
    set -l s (__cred_state)
    test "$s[3]" = 1; and return 1
    if test "$s[1]" = -
        test "$want" = subcommand
        return
    end
    set -l k (__cred_arg_kind $s[1] $s[2])
    test "$k" = "$want"
end

function __cred_providers
    set -l tokens (commandline -opc)
    set -l config
    set -l i (contains -i -- --config $tokens)
    if test -n "$i"; and test (count $tokens) -gt $i
        set config --config $tokens[(math $i + 1)]
    end
    command $tokens[1] $config __complete providers 2>/dev/null
end

complete -c cred -f
${lines.join('\n')}
complete -c cred -n '__cred_want provider' -a '(__cred_providers)'
complete -c cred -n '__cred_want file' -F
complete -c cred -n '__cred_want command' -a '(__fish_complete_command)'
${m.commands
  .flatMap((c) =>
    c.args
      .filter((a) => a.value.kind === 'choices')
      .map(
        (a) =>
          `complete -c cred -n ${quoteFish(`__cred_want "${kindWord(a.value)}"`)} -a ${quoteFish((a.value as { choices: readonly string[] }).choices.join(' '))}`,
      ),
  )
  .join('\n')}
`;
}

function completionScript(shell: CompletionShell, program: Command): string {
  const model = completionModel(program);
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}

export function registerCompletion(program: Command, cli: CliContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      cli.out(completionScript(shell, program));
    });

  // What the scripts call back for values that are not fixed: the provider ids (and names), which a
  // config file or plugin may add. Tab-separated `id<TAB>name`, one a line.
  program
    .command('__complete', { hidden: true })
    .argument('<what>', 'providers')
    .action(async (what: string) => {
      if (what !== 'providers') throw new UsageError(`__complete: unknown list ${quoteInput(what)}`);
      const registry = await cli.registry();
      cli.out(
        registry
          .list()
          .map((p) => `${p.id}\t${p.name}`)
          .join('\n'),
      );
    });
}
