"""The report's charts as Vega-Lite specifications, written with Altair (rendered by the embedded Vega).

Each function takes one case's rows from data.load_report and returns a JSON-ready spec whose data is
inline, so the HTML needs no server. The marks the browser test counts: points (k choice, 2-D map,
campaign lift) and rects (segment sizes, shares, heatmap cells).
"""

from __future__ import annotations

from typing import Any

import altair as alt

# Metrics of segment_k_selection drawn against k, in the order shown, with their titles.
K_METRICS = {
    "inertia": "Elbow: inertia (lower is tighter)",
    "silhouette": "Silhouette (higher is better)",
    "segment_stability": "Least stable segment: bootstrap Jaccard",
    "stability": "Stability: bootstrap ARI",
    "bic": "BIC (lower is better)",
}
CHOICE_COLOURS = {"statistical": "#d95f02", "actionable": "#1b9e77", "statistical and actionable": "#7570b3"}
WIDTH = 260
# Charts name their data; the rows are added to the spec after Altair validated it (validating thousands of
# inline rows against the schema took seconds).
ROWS = alt.NamedData(name="rows")


def segment_label(segment_id: int, name: str | None) -> str:
    return f"{segment_id} · {name}" if name else str(segment_id)


def segment_labels(case: dict[str, Any]) -> dict[int, str]:
    """Each segment id of the case's current model and its label ("id · name")."""
    return {row["segment_id"]: segment_label(row["segment_id"], row["segment_name"]) for row in case["segments"]}


def segment_axis() -> alt.Y:
    """The y axis of a chart with a row per segment, in id order, with room for long names."""
    return alt.Y("segment:N", title=None, sort=None, axis=alt.Axis(labelLimit=320))


def k_choice(case: dict[str, Any]) -> dict[str, Any]:
    """Every index against k, one panel each; the statistical and actionable choices are coloured."""
    rows = []
    for row in case["k_selection"]:
        choice = " and ".join(
            name
            for name, flag in (("statistical", "is_statistical_choice"), ("actionable", "is_actionable_choice"))
            if row[flag]
        )
        for metric, title in K_METRICS.items():
            if row[metric] is not None:
                rows.append(
                    {
                        "k": row["k"],
                        "metric": title,
                        "value": row[metric],
                        "choice": choice or "other k",
                        "k used": "yes" if row["is_chosen"] else "no",
                    }
                )
    base = alt.Chart().encode(x=alt.X("k:O", title="k"))
    line = base.mark_line(color="#999").encode(y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)))
    points = base.mark_point(filled=True, size=70).encode(
        y="value:Q",
        color=alt.Color(
            "choice:N",
            title="Recommended by",
            scale=alt.Scale(domain=[*CHOICE_COLOURS, "other k"], range=[*CHOICE_COLOURS.values(), "#bbb"]),
        ),
        shape=alt.Shape("k used:N", title="k used", scale=alt.Scale(domain=["yes", "no"], range=["diamond", "circle"])),
        tooltip=["k:O", "metric:N", alt.Tooltip("value:Q", format=".4g"), "choice:N", "k used:N"],
    )
    return _spec(
        alt.layer(line, points, data=ROWS)
        .properties(width=WIDTH, height=150)
        .facet(facet=alt.Facet("metric:N", title=None, sort=list(K_METRICS.values())), columns=2)
        .resolve_scale(y="independent"),
        rows,
    )


def segment_sizes(case: dict[str, Any]) -> dict[str, Any]:
    """One bar per segment: customers, labelled with the share."""
    rows = [
        {
            "segment": segment_label(row["segment_id"], row["segment_name"]),
            "customers": row["customers"],
            "share": row["share"],
        }
        for row in case["segments"]
    ]
    base = alt.Chart(ROWS).encode(
        y=segment_axis(),
        x=alt.X("customers:Q", title="Customers"),
    )
    bars = base.mark_bar(color="#4c78a8").encode(
        tooltip=["segment:N", "customers:Q", alt.Tooltip("share:Q", format=".1%")]
    )
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("share:Q", format=".1%"))
    return _spec((bars + labels).properties(width=WIDTH * 1.5), rows)


def shares_now_and_at_training(case: dict[str, Any]) -> dict[str, Any]:
    """Each segment's share today beside its share in the training sample (the stability index's inputs)."""
    rows = [
        {"segment": segment_label(row["segment_id"], row["segment_name"]), "when": when, "share": row[column]}
        for row in case["segments"]
        for when, column in (("now", "share"), ("at training", "training_share"))
    ]
    return _spec(
        alt.Chart(ROWS)
        .mark_bar()
        .encode(
            y=segment_axis(),
            yOffset=alt.YOffset("when:N", sort=["now", "at training"]),
            x=alt.X("share:Q", title="Share of customers", axis=alt.Axis(format="%")),
            color=alt.Color("when:N", title=None, sort=["now", "at training"]),
            tooltip=["segment:N", "when:N", alt.Tooltip("share:Q", format=".2%")],
        )
        .properties(width=WIDTH * 1.5),
        rows,
    )


def profile_heatmap(case: dict[str, Any]) -> dict[str, Any]:
    """Segments × features coloured by z-score (segment mean against the population, in population sds)."""
    names = segment_labels(case)
    rows = [
        {
            "segment": names[row["segment_id"]],
            "feature": row["feature_label"],
            "z": row["z_score"],
            "lift": row["lift"],
            "segment mean": row["segment_mean"],
            "population mean": row["population_mean"],
        }
        for row in case["profile"]
    ]
    features = list(dict.fromkeys(row["feature"] for row in rows))
    return _spec(
        alt.Chart(ROWS)
        .mark_rect(invalid="show")
        .encode(
            x=alt.X("segment:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelLimit=200)),
            y=alt.Y("feature:N", title=None, sort=features, axis=alt.Axis(labelLimit=240)),
            # A feature constant in the population has no z-score: its cells stay, in grey.
            color=alt.condition(
                "isValid(datum.z)",
                alt.Color(
                    "z:Q", title="z-score", scale=alt.Scale(scheme="redblue", reverse=True, domain=[-2, 2], clamp=True)
                ),
                alt.value("#dddddd"),
            ),
            tooltip=[
                "segment:N",
                "feature:N",
                alt.Tooltip("z:Q", format=".2f"),
                alt.Tooltip("lift:Q", format=".2f"),
                alt.Tooltip("segment mean:Q", format=".4g"),
                alt.Tooltip("population mean:Q", format=".4g"),
            ],
        )
        .properties(width=max(WIDTH, 70 * len(case["segments"])), height=alt.Step(14)),
        rows,
    )


def customer_map(case: dict[str, Any]) -> dict[str, Any]:
    """The stored sample of customers on the model's first two principal components, coloured by segment."""
    names = segment_labels(case)
    rows = [
        {
            "segment": names.get(row["segment_id"], str(row["segment_id"])),
            "pc1": round(row["pc1"], 4),
            "pc2": round(row["pc2"], 4),
        }
        for row in case["projection"]
    ]
    return _spec(
        alt.Chart(ROWS)
        .mark_circle(size=8, opacity=0.5)
        .encode(
            x=alt.X("pc1:Q", title="First principal component"),
            y=alt.Y("pc2:Q", title="Second principal component"),
            color=alt.Color("segment:N", title="Segment", sort=list(names.values()), legend=alt.Legend(labelLimit=320)),
        )
        .properties(width=WIDTH * 1.6, height=WIDTH * 1.2),
        rows,
    )


def campaign_lift(case: dict[str, Any]) -> dict[str, Any]:
    """Response lift per segment with its bootstrap interval, coloured by the suppress / push label."""
    rows = [
        {
            "segment": segment_label(row["segment_id"], row["segment_name"]),
            "lift": row["lift"],
            "low": row["lift_low"],
            "high": row["lift_high"],
            "response rate": row["response_rate"],
            "action": row["targeting_action"],
        }
        for row in case["targeting"]
    ]
    colour = alt.Color(
        "action:N",
        title="Label",
        scale=alt.Scale(domain=["suppress", "neutral", "push"], range=["#d62728", "#999999", "#2ca02c"]),
    )
    base = alt.Chart(ROWS).encode(y=segment_axis())
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title="Lift (response rate / overall rate)"), x2="high:Q", color=colour
    )
    point = base.mark_point(filled=True, size=90).encode(
        x="lift:Q",
        color=colour,
        tooltip=[
            "segment:N",
            alt.Tooltip("response rate:Q", format=".1%"),
            alt.Tooltip("lift:Q", format=".2f"),
            alt.Tooltip("low:Q", format=".2f"),
            alt.Tooltip("high:Q", format=".2f"),
            "action:N",
        ],
    )
    # Lift 1: the segment responds as the whole case does.
    one = alt.Chart(alt.Data(values=[{"lift": 1.0}])).mark_rule(strokeDash=[4, 4], color="#555").encode(x="lift:Q")
    return _spec((interval + point + one).properties(width=WIDTH * 1.5), rows)


def _spec(chart: alt.TopLevelMixin, rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = chart.configure_view(stroke=None).to_dict(validate=True)
    return spec | {"datasets": {ROWS.name: rows}}


def case_charts(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The charts of a segmented case, by name (the campaign lift only where the case has a targeting mart)."""
    charts = {"k_choice": k_choice(case)} if case["k_selection"] else {}
    charts |= {
        "segment_sizes": segment_sizes(case),
        "profile_heatmap": profile_heatmap(case),
        "customer_map": customer_map(case),
        "shares_now_and_at_training": shares_now_and_at_training(case),
    }
    if case["targeting"]:
        charts["campaign_lift"] = campaign_lift(case)
    return charts
