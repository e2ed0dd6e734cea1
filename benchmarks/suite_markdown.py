"""The suite's Markdown: the summary tables of a run and the file written beside its JSON.

:func:`summary_markdown` renders the anchors side by side, a row per tool and set (what
``storymatch bench`` prints); :func:`to_markdown` adds the context (command, machine, versions,
data fingerprints) and each section's own tables, for ``<out>/<day>/<benchmark>.md``. Both read
only the JSON-ready result of :func:`benchmarks.suite.run_quality` or
:func:`benchmarks.suite.run_speed`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["summary_markdown", "to_markdown"]


def _fmt(value: Any, spec: str = ".3f") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return format(value, spec)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summary_markdown(result: dict[str, Any]) -> str:
    """Render the final tables of a run: the anchors side by side, a row per tool and set."""
    lines: list[str] = []
    summary = result.get("summary", {})
    if result["benchmark"] == "quality":
        if summary.get("groups"):
            lines += [
                "| task | dataset | tool | ARI | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['task']} | {r['dataset']} | {r['tool']} | {_fmt(r.get('ari'))} "
                f"| {_fmt(r.get('bcubed_p'))} | {_fmt(r.get('bcubed_r'))} "
                f"| {_fmt(r.get('bcubed_f1'))} | {_fmt(r.get('pair_p'))} "
                f"| {_fmt(r.get('pair_r'))} | {_fmt(r.get('pair_f1'))} |"
                for r in summary["groups"]
            ]
            lines.append("")
        if summary.get("pairs"):
            lines += [
                "| sentence pairs | tool | threshold | P | R | F1 | accuracy | Pearson r |",
                "|---|---|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r.get('dataset', '')} | {r.get('tool', '')} | {_fmt(r.get('threshold'))} "
                f"| {_fmt(r.get('precision'))} | {_fmt(r.get('recall'))} | {_fmt(r.get('f1'))} "
                f"| {_fmt(r.get('accuracy'))} | {_fmt(r.get('pearson_r'))} |"
                for r in summary["pairs"]
            ]
            lines.append("")
        if summary.get("alignment"):
            lines += [
                "| alignment | tool | P | R | F1 | confirmed / aligned pairs | note |",
                "|---|---|---:|---:|---:|---:|---|",
            ]
            for r in summary["alignment"]:
                confirmed = f"{r['confirmed']:,} / {r['pairs']:,}" if "confirmed" in r else "—"
                lines.append(
                    f"| {r['dataset']} | {r['tool']} | {_fmt(r.get('precision'))} "
                    f"| {_fmt(r.get('recall'))} | {_fmt(r.get('f1'))} | {confirmed} "
                    f"| {r.get('note', '')} |"
                )
            lines.append("")
        if summary.get("copies"):
            lines += [
                "| copies | tool | original | numbers R | numbers P | added R | removed R "
                "| headline R | originals called copies |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['dataset']} | {r['tool']} | {_fmt(r.get('original_accuracy'))} "
                f"| {_fmt(r.get('numbers_r'))} | {_fmt(r.get('numbers_p'))} "
                f"| {_fmt(r.get('added_r'))} | {_fmt(r.get('removed_r'))} "
                f"| {_fmt(r.get('headline_r'))} | {r.get('originals_called_copies', '—')} |"
                for r in summary["copies"]
            ]
            lines.append("")
        gate = result.get("gate")
        if gate:
            lines.append(_gate_line(gate))
    else:
        if summary.get("throughput"):
            lines += [
                "| task | docs | tool | time (s) | docs/s | vs anchor | peak extra (MB) | ARI |",
                "|---|---:|---|---:|---:|---:|---:|---:|",
            ]
            for r in summary["throughput"]:
                if "error" in r:
                    lines.append(
                        f"| {r['task']} | {r['docs']:,} | {r['tool']} | {r['error']} |||||"
                    )
                    continue
                ratio = f"{r['vs_anchor']:.2f}x" if r.get("vs_anchor") is not None else "—"
                lines.append(
                    f"| {r['task']} | {r['docs']:,} | {r['tool']} | {r['seconds']:.2f} "
                    f"| {r['docs_per_s']:,.0f} | {ratio} | {_fmt(r.get('peak_extra_mb'), ',.0f')} "
                    f"| {_fmt(r.get('ari'))} |"
                )
            lines.append("")
        for task, growth in summary.get("growth", {}).items():
            parts = [
                f"{tool} time n^{_fmt(growth['time'].get(tool), '.2f')}, memory "
                f"n^{_fmt(growth['memory'].get(tool), '.2f')}"
                for tool in growth["time"]
                if growth["time"].get(tool) is not None
            ]
            if parts:
                lines.append(
                    f"Growth ({task}, smallest to largest size): " + "; ".join(parts) + "."
                )
        if summary.get("compare"):
            lines += [
                "",
                "| comparison | claims | storymatch (s) | difflib.ndiff, all pairs (s) | ratio |",
                "|---|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['reports']} reports x {r['sentences']} sentences | {r['claims']} "
                f"| {r['storymatch_s']} | {r['difflib_ndiff_s']} | {r['ratio']} |"
                for r in summary["compare"]
            ]
            lines.append("")
    failed = [n for n, s in result.get("sections", {}).items() if "error" in s]
    skipped = {n: s["skipped"] for n, s in result.get("sections", {}).items() if "skipped" in s}
    if failed:
        lines.append(f"Failed sections: {', '.join(failed)} (see the JSON result).")
    for name, reason in skipped.items():
        lines.append(f"Skipped {name}: {reason}.")
    return "\n".join(lines).rstrip() + "\n"


def _gate_line(gate: dict[str, Any]) -> str:
    if not gate["checked"]:
        return "Gate: no floor applies to these datasets."
    if gate["passed"]:
        return f"Gate: all {gate['checked']} floors met."
    below = ", ".join(f"{f['key']} {f['value']} < {f['floor']}" for f in gate["failures"])
    return f"Gate: {len(gate['failures'])} of {gate['checked']} floors missed: {below}."


def to_markdown(result: dict[str, Any]) -> str:
    """Render the Markdown file of a run: context, the summary, then each section's own tables."""
    m, v = result["machine"], result["versions"]
    title = "Quality" if result["benchmark"] == "quality" else "Speed"
    lines = [
        f"# storymatch benchmarks: {title.lower()} ({result['date']})",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Machine: {m['cpu']}, {m['usable_cores']} usable of {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['platform']}.",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".",
        "",
        f"Data: `{result['settings']['data']}`",
        "",
    ]
    lines += [
        f"- `{d['path']}` {d['bytes']:,} bytes, sha256 `{d['sha256'][:16]}`" for d in result["data"]
    ]
    lines += ["", "## Summary", "", summary_markdown(result)]
    if result["benchmark"] == "quality":
        for name, text in result.get("details_markdown", {}).items():
            if text:
                lines += [f"## {name} (details)", "", text.strip(), ""]
    else:
        for name, section in result["sections"].items():
            if name == "dedup" and "sizes" in section:
                from benchmarks import dedup_speed

                lines += ["## dedup (details)", "", dedup_speed.to_markdown(section).strip(), ""]
            elif name == "events" and "sizes" in section:
                from benchmarks import events_speed

                lines += ["## events (details)", "", events_speed.to_markdown(section).strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
