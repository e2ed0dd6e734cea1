"""The parser of the command line: commands, defaults, options left unset for ``index add``."""

from __future__ import annotations

import pytest

from storymatch.cli.commands import COMMANDS
from storymatch.cli.parser import INDEX_OPTIONS, build_parser


@pytest.mark.parametrize(
    "argv",
    [
        ["dedup", "in.jsonl", "-o", "out.jsonl"],
        ["clean", "in.jsonl", "-o", "out.jsonl"],
        ["events", "in.jsonl", "-o", "out.jsonl"],
        ["compare", "in.jsonl"],
        ["pairs", "in.jsonl", "-o", "-"],
        ["report", "in.jsonl", "-o", "site"],
        ["index", "query", "in.jsonl", "--store", "memory:", "-o", "-"],
        ["calibrate", "in.jsonl"],
        ["demo"],
        ["bench", "quality"],
    ],
    ids=lambda argv: argv[0],
)
def test_every_command_parses_and_has_a_runner(argv):
    assert build_parser().parse_args(argv).command == argv[0]
    assert argv[0] in COMMANDS


def test_the_parser_and_the_runners_know_the_same_commands():
    help_text = build_parser().format_help()
    for command in COMMANDS:
        assert command in help_text


def test_dedup_defaults():
    args = build_parser().parse_args(["dedup", "in.jsonl", "-o", "out.jsonl"])
    assert (args.threshold, args.containment_threshold, args.chain_guard) == (0.5, 0.8, 0.3)
    assert (args.shingle_size, args.kind, args.num_perm, args.seed) == (5, "word", 128, 1)
    assert not args.keep_widgets
    assert not args.no_ocr_fold


def test_copies_uses_every_usable_core_by_default():
    assert build_parser().parse_args(["copies", "in.jsonl", "-o", "out.jsonl"]).jobs == -1
    args = build_parser().parse_args(["copies", "in.jsonl", "-o", "out.jsonl", "--jobs", "1"])
    assert args.jobs == 1


def test_index_add_leaves_options_not_given_unset():
    parser = build_parser()
    args = parser.parse_args(["index", "add", "in.jsonl", "--store", "memory:"])
    assert not any(hasattr(args, name) for name in INDEX_OPTIONS)
    args = parser.parse_args(
        ["index", "add", "in.jsonl", "--store", "memory:", "--threshold", "0.6", "--keep-widgets"]
    )
    assert args.threshold == 0.6
    assert args.keep_widgets is True
    assert not hasattr(args, "seed")


@pytest.mark.parametrize("value", ["none", "None", "NONE"])
def test_none_turns_a_rule_off(value):
    args = build_parser().parse_args(
        ["dedup", "in.jsonl", "-o", "-", "--containment-threshold", value, "--chain-guard", value]
    )
    assert args.containment_threshold is None
    assert args.chain_guard is None
