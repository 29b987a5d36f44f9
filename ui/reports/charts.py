"""Charts as PNG files for reports: target progress (and its plain data for the web app's plot) and the gap heatmap."""

from __future__ import annotations

from pathlib import Path

from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store
from metrokg.kg.analyses import gaps
from metrokg.kg.analyses.targets import list_targets, observations

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

    font = cjk_font()
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


def cjk_font():
    """The CJK font for Chinese labels (Debian's WenQuanYi Micro Hei), or None for matplotlib's default."""
    from matplotlib import font_manager

    if Path(CJK_FONT).is_file():
        font_manager.fontManager.addfont(CJK_FONT)
        return font_manager.FontProperties(fname=CJK_FONT)
    return None  # matplotlib's default font: Chinese labels may show as boxes


def heatmap_png(gmap: dict, path: str | Path, max_rows: int = 25, max_cols: int = 30) -> Path:
    """Draw the map: colour = gap score, each cell annotated ``demand/supply``."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise MetrokgError("E330", path=path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    industries, names, _ = gaps.matrix(gmap, max_rows=max_rows, max_cols=max_cols)
    if not industries or not names:
        raise MetrokgError("E331", what="the gap heatmap", reason="no task or target is linked to a "
                           f"{gmap['by']} yet (ingest documents first)")
    cells = {(c["industry"], c["column"]): c for c in gmap["cells"]}
    grid = [[cells[(i, n)]["gap"] if (i, n) in cells else 0.0 for n in names] for i in industries]
    font = cjk_font()
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(names) + 3), max(4, 0.45 * len(industries) + 2)))
    im = ax.imshow(grid, cmap="OrRd", aspect="auto")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=60, ha="right", fontproperties=font, fontsize=9)
    ax.set_yticks(range(len(industries)))
    ax.set_yticklabels(industries, fontproperties=font, fontsize=9)
    for y, ind in enumerate(industries):
        for x, n in enumerate(names):
            c = cells.get((ind, n))
            if c:
                ax.text(x, y, f"{c['demand']}/{c['supply']}", ha="center", va="center", fontsize=7,
                        color="white" if c["gap"] > 0.6 * max(max(r) for r in grid) else "black")
    title = {"quantity": "量", "discipline": "专业", "instrument": "计量器具"}[gmap["by"]]
    ax.set_title(f"规范缺口：行业 × {title}（需求/供给，颜色 = 缺口）", fontproperties=font)
    fig.colorbar(im, ax=ax, label="gap = demand / (1 + supply)")
    fig.tight_layout()
    return save_figure(fig, path)
