"""Progress charts: a PNG per store (CLI, reports) and plain data for the web app's interactive plot."""

from __future__ import annotations

from pathlib import Path

from metrokg.errors import MetrokgError
from metrokg.kg.store import Store
from metrokg.kg.targets import list_targets, observations

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def progress_data(store: Store, document: str | None = None, only_observed: bool = True) -> list[dict]:
    """One series per target: ``{"id", "label", "target", "comparator", "unit", "deadline",
    "share", "status", "points": [{"as_of", "value", "share"}]}`` (for Plotly/Gradio)."""
    obs = observations(store)
    out = []
    for t in list_targets(store, document):
        history = obs.get(t["iri"], [])
        if only_observed and not history:
            continue
        goal = float(t["value"]) if t["value"] else None
        points = [{"as_of": o["as_of"], "value": o["value"],
                   "share": round(float(o["value"]) / goal, 4) if goal else None} for o in history]
        out.append({"id": t["id"], "label": f"{t['number']} {t['indicator'] or ''}".strip(), "target": t["value"],
                    "comparator": t["comparator"], "unit": t["unit"], "deadline": t["deadline"],
                    "share": t["share"], "status": t["status"], "expected_share": t["expected_share"],
                    "points": points})
    return out


def progress_png(store: Store, path: str | Path, document: str | None = None) -> Path:
    """Horizontal bars of share achieved per observed target, with the expected share marked."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise MetrokgError("E330", path=path)
    series = progress_data(store, document)
    if not series:
        raise MetrokgError("E331", what="the progress chart",
                           reason="no progress has been recorded yet (use `metrokg progress set`)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font = None
    if Path(CJK_FONT).is_file():
        font_manager.fontManager.addfont(CJK_FONT)
        font = font_manager.FontProperties(fname=CJK_FONT)
    colours = {"achieved": "#2e7d32", "on-track": "#66bb6a", "behind": "#f9a825", "missed": "#c62828"}
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.5 * len(series) + 1.5)))
    for y, s in enumerate(series):
        share = min(s["share"] or 0.0, 1.0)
        ax.barh(y, share, color=colours.get(s["status"], "#90a4ae"))
        if s["expected_share"] is not None:
            ax.plot([s["expected_share"]] * 2, [y - 0.4, y + 0.4], color="black", linewidth=1.5)
        ax.text(min(share, 0.98) + 0.01, y, f"{(s['share'] or 0) * 100:.0f}% {s['status']}", va="center", fontsize=8)
    ax.set_yticks(range(len(series)))
    ax.set_yticklabels([s["label"] for s in series], fontproperties=font, fontsize=9)
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("share achieved (bar) · expected by linear schedule (line)")
    ax.set_title("目标进度 target progress", fontproperties=font)
    ax.invert_yaxis()
    fig.tight_layout()
    return save_figure(fig, path)


def save_figure(fig, path: Path) -> Path:
    """Write a matplotlib figure as PNG (folders created), close it, and turn I/O errors into E314."""
    import matplotlib.pyplot as plt

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    except OSError as err:
        raise MetrokgError("E314", path=path, reason=err.strerror or str(err)) from None
    finally:
        plt.close(fig)
    return path
