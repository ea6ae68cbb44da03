"""Shell completion scripts for bash, zsh and fish, written from the parser (`budget-tui completion SHELL`).

Each command's options and positionals come from budget_tui.cli.parser: what an option takes decides what is
completed after it (its choices or words, file names for a path, nothing for a number or a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from budget_tui.cli.parser import PROG, Command, budget_path, command_line

FUNCTION = "_budget_tui"
TOP_OPTIONS = ("-h", "--help", "--version")


@dataclass(frozen=True)
class Option:
    """One option or positional as a shell sees it."""

    names: tuple[str, ...]  # empty for a positional
    help: str
    takes_value: bool
    words: tuple[str, ...]
    files: bool
    metavar: str

    @property
    def long(self) -> str | None:
        return next((name for name in self.names if name.startswith("--")), None)

    @property
    def short(self) -> str | None:
        return next((name for name in self.names if not name.startswith("--")), None)


def options(command: Command) -> list[Option]:
    """The command's arguments, -h/--help first."""
    found = [Option(("-h", "--help"), "show the help of this command", False, (), False, "")]
    for action in command.arguments:
        takes_value = action.nargs != 0
        words = tuple(str(choice) for choice in action.choices) if action.choices else ()
        words = words or next((command.words[name] for name in action.option_strings if name in command.words), ())
        metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        if action.choices and action.metavar is None:
            metavar = "{" + ",".join(words) + "}"  # as --help shows it
        files = takes_value and not words and action.type in (Path, budget_path)
        found.append(Option(tuple(action.option_strings), action.help or "", takes_value, words, files, metavar))
    return found


def script(shell: str) -> str:
    line = command_line()
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](line.commands)


# bash


def bash(commands: dict[str, Command]) -> str:
    """A function for `complete -F`: commands first, then each command's options and their values."""
    cases = []
    for name, command in commands.items():
        arguments = options(command)
        flags = " ".join(name for option in arguments for name in option.names)
        values = []
        for option in arguments:
            if not option.names or not option.takes_value:
                continue
            pattern = "|".join(option.names)
            if option.words:
                values.append(f'            {pattern}) COMPREPLY=($(compgen -W "{" ".join(option.words)}" -- "$cur")); return ;;')
            elif option.files:
                values.append(f"            {pattern}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
            else:
                values.append(f"            {pattern}) return ;;")
        positional = next((option for option in arguments if not option.names), None)
        if positional is not None and positional.words:
            rest = f'COMPREPLY=($(compgen -W "{" ".join(positional.words)}" -- "$cur"))'
        elif positional is not None:
            rest = 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
        else:
            rest = "COMPREPLY=()"
        cases.append(
            f"        {name})\n"
            f'            case "$prev" in\n' + "".join(value + "\n" for value in values) + "            esac\n"
            f'            if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "{flags}" -- "$cur")); else {rest}; fi\n'
            "            ;;"
        )
    top = " ".join((*TOP_OPTIONS, "--force"))
    return f"""# bash completion for {PROG}, written by `{PROG} completion bash`.
# Use: eval "$({PROG} completion bash)" (in ~/.bashrc), or save it in ~/.local/share/bash-completion/completions/{PROG}
{FUNCTION}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local commands="{" ".join(commands)}"
    COMPREPLY=()
    if (( COMP_CWORD == 1 )); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "{top}" -- "$cur"))
        else
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -W "$commands" -- "$cur") $(compgen -f -- "$cur"))
        fi
        return
    fi
    case "${{COMP_WORDS[1]}}" in
{chr(10).join(cases)}
        *)
            [[ $prev == --force || $cur == -* ]] && COMPREPLY=($(compgen -W "--force" -- "$cur"))
            ;;
    esac
}}
complete -F {FUNCTION} {PROG}
"""


# zsh


def _zsh_text(text: str) -> str:
    """Help text inside a single-quoted _arguments spec: brackets and colons escaped, quotes closed and reopened."""
    for char in "\\[]:":
        text = text.replace(char, "\\" + char)
    return text.replace("'", "'\\''")


def _zsh_action(option: Option) -> str:
    if option.words:
        return "(" + " ".join(option.words) + ")"
    return "_files" if option.files else " "


def _zsh_specs(command: Command) -> list[str]:
    specs = []
    position = 0
    for option in options(command):
        text = _zsh_text(option.help)
        if not option.names:
            position += 1
            specs.append(f"'{position}:{_zsh_text(option.metavar.lower())}:{_zsh_action(option)}'")
            continue
        for name in option.names:
            if option.takes_value:
                form = "=" if name.startswith("--") else "+"
                specs.append(f"'{name}{form}[{text}]:{_zsh_text(option.metavar)}:{_zsh_action(option)}'")
            else:
                specs.append(f"'{name}[{text}]'")
    return specs


def zsh(commands: dict[str, Command]) -> str:
    described = "\n".join(f"        '{name}:{_zsh_text(command.summary)}'" for name, command in commands.items())
    cases = []
    for name, command in commands.items():
        specs = " \\\n                ".join(_zsh_specs(command))
        cases.append(f"        ({name})\n            _arguments -s \\\n                {specs}\n            ;;")
    return f"""#compdef {PROG}
# zsh completion for {PROG}, written by `{PROG} completion zsh`.
# Use: save it as _{PROG} in a folder of $fpath (before compinit runs), or source it after compinit.
{FUNCTION}() {{
    local -a commands
    commands=(
{described}
    )
    if (( CURRENT == 2 )); then
        _describe -t commands '{PROG} command' commands
        _files
        return
    fi
    local command=$words[2]
    shift words
    (( CURRENT-- ))
    case $command in
{chr(10).join(cases)}
        (*)
            _arguments '--force[edit even when another budget-tui has the file open]' '*:path:_files'
            ;;
    esac
}}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    {FUNCTION} "$@"
else
    compdef {FUNCTION} {PROG}
fi
"""


# fish


def _fish_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(commands: dict[str, Command]) -> str:
    lines = [
        f"# fish completion for {PROG}, written by `{PROG} completion fish`.",
        f"# Use: save it as ~/.config/fish/completions/{PROG}.fish",
        f"complete -c {PROG} -f",
        f"complete -c {PROG} -n '__fish_use_subcommand' -F",
        f"complete -c {PROG} -n '__fish_use_subcommand' -l version -d {_fish_text('print the version and exit')}",
        f"complete -c {PROG} -n '__fish_use_subcommand' -l force -d {_fish_text('edit even when another budget-tui has the file open')}",
    ]
    lines += [
        f"complete -c {PROG} -n '__fish_use_subcommand' -a {name} -d {_fish_text(command.summary)}"
        for name, command in commands.items()
    ]
    for name, command in commands.items():
        condition = f"-n '__fish_seen_subcommand_from {name}'"
        for option in options(command):
            if not option.names:
                what = f"-a {_fish_text(' '.join(option.words))}" if option.words else "-F"
                lines.append(f"complete -c {PROG} {condition} {what}")
                continue
            flags = [f"-l {option.long[2:]}"] if option.long else []
            flags += [f"-s {option.short[1:]}"] if option.short else []
            if option.takes_value:
                flags.append("-r -F" if option.files else f"-x -a {_fish_text(' '.join(option.words))}" if option.words else "-x")
            lines.append(f"complete -c {PROG} {condition} {' '.join(flags)} -d {_fish_text(option.help)}")
    return "\n".join(lines) + "\n"
