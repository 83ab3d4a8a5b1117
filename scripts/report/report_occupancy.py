"""Reading the memory occupancy of a simulate report: `levels.occupancy` of `cimnet simulate --report`
(docs/user-guide.md), per memory level its capacity and [cycle, bytes] change points. Kept apart from
report_inputs so that the checks of its shape are in one place; nothing here draws."""


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def read_occupancy(report):
    """{'end_cycle', 'levels': [{level, capacity, peak_bytes, thinned, window_cycles, cycles, bytes}]},
    or None when the report has none (an analytical run, or a report written before it existed).
    ValueError saying what is wrong when it is there but damaged."""
    levels = report.get("levels")
    occupancy = levels.get("occupancy") if isinstance(levels, dict) else None
    if occupancy is None:
        return None
    if not isinstance(occupancy, dict) or not _integer(occupancy.get("end_cycle")):
        raise ValueError("levels.occupancy must be an object with an integer 'end_cycle'")
    rows = occupancy.get("levels")
    if not isinstance(rows, list):
        raise ValueError("levels.occupancy has no 'levels' list")
    out = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("level"), str) or not _integer(row.get("capacity")):
            raise ValueError("levels.occupancy has a level without a name or an integer capacity")
        points = row.get("points")
        if (not isinstance(points, list) or not points
                or not all(isinstance(p, list) and len(p) == 2 and _integer(p[0]) and _integer(p[1]) for p in points)):
            raise ValueError(f"levels.occupancy level '{row['level']}' needs a non-empty list of [cycle, bytes] "
                             "integer pairs")
        # The peak is read off the points: thinning keeps it exactly (window maxima).
        out.append({"level": row["level"], "capacity": row["capacity"], "peak_bytes": max(p[1] for p in points),
                    "thinned": bool(row.get("thinned")), "window_cycles": row.get("window_cycles") or 0,
                    "cycles": [p[0] for p in points], "bytes": [p[1] for p in points]})
    return {"end_cycle": occupancy["end_cycle"], "levels": out}
