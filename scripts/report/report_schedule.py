"""Reading the schedule of a simulate report: `schedule` of `cimnet simulate --report` (docs/report.md,
"Schedule"), per row (an L1 decoder's arrays, the vector unit) the [start, end, layer] bars of what it
computed. Kept apart from report_inputs so that the checks of its shape are in one place; nothing here
draws."""


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def read_schedule(report):
    """{'end_cycle', 'rows': [{name, merge_gap, bars: [(start, end, layer)]}]}, or None when the report has
    none (an analytical run, or a report written before it existed). ValueError saying what is wrong when
    it is there but damaged."""
    schedule = report.get("schedule")
    if schedule is None:
        return None
    if not isinstance(schedule, dict) or not _integer(schedule.get("end_cycle")):
        raise ValueError("schedule must be an object with an integer 'end_cycle'")
    rows = schedule.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ValueError("schedule has no 'rows' list")
    out = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not isinstance(row.get("bars"), list):
            raise ValueError("schedule has a row without a name or a 'bars' list")
        bars = row["bars"]
        if not all(isinstance(b, list) and len(b) == 3 and all(_integer(x) for x in b) and b[0] <= b[1]
                   for b in bars):
            raise ValueError(f"schedule row '{row['name']}' needs [start, end, layer] integer bars with start <= end")
        out.append({"name": row["name"], "merge_gap": row.get("merge_gap") or 0, "bars": [tuple(b) for b in bars]})
    return {"end_cycle": schedule["end_cycle"], "rows": out}
